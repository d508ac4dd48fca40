import type { ConfigSnapshot, TaskConfig } from "@llm-pool/config";
import { OutputKind, type Query } from "@llm-pool/contract";
import { Code } from "./code.js";
import { invalidArgument, PoolError } from "./pool-error.js";
import type { OutputSpec } from "./provider.js";
import type { SchemaCompiler } from "./schema-compiler.js";
import { strategyName, taskName, TASK_NAMES, type StrategyName } from "./task.js";

export const META_MAX_ENTRIES = 32;
export const META_MAX_KEY_BYTES = 64;
export const META_MAX_VALUE_BYTES = 256;
export const ID_MAX_CHARS = 64;
export const JSON_SCHEMA_MAX_BYTES = 16_384;

/** A Query that passed every bound, with the task defaults applied. */
export interface ValidQuery {
  readonly task: TaskConfig;
  readonly strategy: StrategyName;
  readonly maxTokens: number;
  /** The query's own budget (0 resolved to the task default), before the transport's. */
  readonly deadlineMs: number;
  readonly output: OutputSpec;
  readonly prompt: string;
  /** The structured input as JSON text, when the query has one. */
  readonly inputJson: string | undefined;
}

/**
 * Checks every bound of R-API-4 before any engine is called. Each refusal
 * names the field in proto spelling and the limit it broke. With `schemas`,
 * a client's output schema must also compile under the pool's limits;
 * without it, the schema is only parsed.
 */
export function validateQuery(query: Query, config: ConfigSnapshot, schemas?: SchemaCompiler): ValidQuery {
  const name = taskName(query.task);
  if (!name) {
    throw invalidArgument(
      "task",
      query.task === 0 ? "is required" : `unknown task ${query.task}; expected one of ${TASK_NAMES.join(", ")}`,
    );
  }
  const task = config.tasks[name];
  if (!task.enabled) {
    throw new PoolError(Code.Unavailable, `task ${name} is switched off by the operator`, { field: "task" });
  }

  const strategy = query.strategy === 0 ? task.strategy : strategyName(query.strategy);
  if (!strategy) throw invalidArgument("strategy", `unknown strategy ${query.strategy}`);

  checkId("tenant_id", query.tenantId);
  checkId("project_id", query.projectId);

  // protobuf-es holds a google.protobuf.Struct as a plain JSON object.
  const inputJson = query.input ? JSON.stringify(query.input) : undefined;
  if (query.prompt === "" && inputJson === undefined) {
    throw invalidArgument("prompt", "a query needs a prompt, an input, or both");
  }
  const promptBytes = Buffer.byteLength(query.prompt) + (inputJson ? Buffer.byteLength(inputJson) : 0);
  if (promptBytes > config.qos.max_prompt_bytes) {
    throw invalidArgument(
      query.prompt === "" ? "input" : "prompt",
      `prompt and input are ${promptBytes} bytes; the limit is max_prompt_bytes = ${config.qos.max_prompt_bytes}`,
    );
  }

  const maxTokensCap = config.qos.max_tokens_cap;
  if (query.maxTokens > maxTokensCap) {
    throw invalidArgument("max_tokens", `${query.maxTokens} is above the cap of ${maxTokensCap}`);
  }
  if (query.deadlineMs > config.qos.max_deadline_ms) {
    throw invalidArgument(
      "deadline_ms",
      `${query.deadlineMs} ms is above max_deadline_ms = ${config.qos.max_deadline_ms} ms`,
    );
  }

  checkMeta(query.meta);

  return {
    task,
    strategy,
    maxTokens: query.maxTokens > 0 ? query.maxTokens : task.max_tokens,
    deadlineMs: query.deadlineMs > 0 ? query.deadlineMs : task.deadline_ms,
    output: outputOf(query, task, schemas),
    prompt: query.prompt,
    inputJson,
  };
}

function checkId(field: string, value: string): void {
  if ([...value].length > ID_MAX_CHARS) throw invalidArgument(field, `is longer than ${ID_MAX_CHARS} characters`);
}

function checkMeta(meta: Record<string, string>): void {
  const entries = Object.entries(meta);
  if (entries.length > META_MAX_ENTRIES) {
    throw invalidArgument("meta", `has ${entries.length} entries; the limit is ${META_MAX_ENTRIES}`);
  }
  for (const [key, value] of entries) {
    if (Buffer.byteLength(key) > META_MAX_KEY_BYTES) {
      throw invalidArgument("meta", `key "${key.slice(0, 16)}…" is longer than ${META_MAX_KEY_BYTES} bytes`);
    }
    if (Buffer.byteLength(value) > META_MAX_VALUE_BYTES) {
      throw invalidArgument("meta", `value of "${key}" is longer than ${META_MAX_VALUE_BYTES} bytes`);
    }
  }
}

function outputOf(query: Query, task: TaskConfig, schemas: SchemaCompiler | undefined): OutputSpec {
  const kind = query.output?.kind ?? OutputKind.UNSPECIFIED;
  switch (kind) {
    case OutputKind.UNSPECIFIED:
      return taskOutput(task);
    case OutputKind.TEXT:
      return { kind: "text" };
    case OutputKind.JSON:
      return { kind: "json" };
    case OutputKind.JSON_SCHEMA:
      return { kind: "json_schema", schema: admitSchema(query.output?.jsonSchema ?? "", schemas), source: "client" };
    default:
      throw invalidArgument("output.kind", `unknown output kind ${kind}`);
  }
}

function taskOutput(task: TaskConfig): OutputSpec {
  if (task.output === "json_schema" && isObject(task.schema)) return { kind: "json_schema", schema: task.schema };
  return task.output === "text" ? { kind: "text" } : { kind: "json" };
}

/** A client's schema is untrusted code for the validator: parsed, then compiled under limits, or refused. */
function admitSchema(text: string, schemas: SchemaCompiler | undefined): Readonly<Record<string, unknown>> {
  if (text === "") throw invalidArgument("output.json_schema", "is required when output.kind is OUTPUT_KIND_JSON_SCHEMA");
  if (Buffer.byteLength(text) > JSON_SCHEMA_MAX_BYTES) {
    throw invalidArgument("output.json_schema", `is longer than ${JSON_SCHEMA_MAX_BYTES} bytes`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw invalidArgument("output.json_schema", "is not valid JSON");
  }
  if (!isObject(schema)) throw invalidArgument("output.json_schema", "must be a JSON object");
  const compiled = schemas?.compile(schema);
  if (compiled && !compiled.ok) throw invalidArgument("output.json_schema", compiled.reason);
  return schema;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
