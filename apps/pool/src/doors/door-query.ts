import { create } from "@bufbuild/protobuf";
import { OutputKind, QuerySchema, type Query } from "@llm-pool/contract";
import { invalidArgument, STRATEGIES, strategyEnum, taskEnum, type StrategyName } from "@llm-pool/core";
import { isJsonObject, read, type JsonObject } from "./json-body.js";
import type { PoolModel } from "./model-catalog.js";

/** What a client asked the output to be: free text, any JSON, or JSON matching its schema. */
export type DoorOutput = { readonly kind: "text" } | { readonly kind: "json" } | { readonly kind: "json_schema"; readonly schema: JsonObject };

export interface DoorQueryParts {
  readonly model: PoolModel;
  readonly prompt: string;
  readonly maxTokens?: number;
  readonly output?: DoorOutput;
  /** The request's `pool` object (the extension strict clients never send), unchecked. */
  readonly extension?: unknown;
}

/** The extension's name in request and response bodies of both doors. */
export const EXTENSION_FIELD = "pool";

/**
 * The Query a compatible door runs (R-API-7). The model gives the task (and
 * a profile's strategy); the prompt, max_tokens and output format come from
 * the client's request; the `pool` object may set what the OpenAI and Ollama
 * APIs have no field for: request_id (the idempotency key), project_id,
 * strategy, deadline_ms and meta. Bounds are the orchestrator's, as on
 * every other edge.
 */
export function doorQuery(parts: DoorQueryParts): Query {
  const extension = extensionOf(parts.extension);
  const strategy = extension.strategy ?? parts.model.strategy;
  return create(QuerySchema, {
    requestId: extension.requestId ?? "",
    projectId: extension.projectId ?? "",
    task: taskEnum(parts.model.task),
    ...(strategy ? { strategy: strategyEnum(strategy) } : {}),
    prompt: parts.prompt,
    maxTokens: parts.maxTokens ?? 0,
    deadlineMs: extension.deadlineMs ?? 0,
    meta: extension.meta ?? {},
    ...(parts.output ? { output: outputMessage(parts.output) } : {}),
  });
}

interface Extension {
  readonly requestId?: string;
  readonly projectId?: string;
  readonly strategy?: StrategyName;
  readonly deadlineMs?: number;
  readonly meta?: Record<string, string>;
}

function extensionOf(value: unknown): Extension {
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw invalidArgument(EXTENSION_FIELD, "must be a JSON object");
  const at = (key: string) => `${EXTENSION_FIELD}.${key}`;
  const strategy = read.string(value, "strategy", at("strategy"));
  if (strategy !== undefined && !(STRATEGIES as readonly string[]).includes(strategy)) {
    throw invalidArgument(at("strategy"), `must be one of ${STRATEGIES.join(", ")}`);
  }
  const meta = read.object(value, "meta", at("meta"));
  for (const [key, entry] of Object.entries(meta ?? {})) {
    if (typeof entry !== "string") throw invalidArgument(at(`meta.${key}`), "must be a string");
  }
  const requestId = read.string(value, "request_id", at("request_id"));
  const projectId = read.string(value, "project_id", at("project_id"));
  const deadlineMs = read.count(value, "deadline_ms", at("deadline_ms"));
  return {
    ...(requestId !== undefined && { requestId }),
    ...(projectId !== undefined && { projectId }),
    ...(strategy !== undefined && { strategy: strategy as StrategyName }),
    ...(deadlineMs !== undefined && { deadlineMs }),
    ...(meta !== undefined && { meta: meta as Record<string, string> }),
  };
}

function outputMessage(output: DoorOutput) {
  switch (output.kind) {
    case "text":
      return { kind: OutputKind.TEXT };
    case "json":
      return { kind: OutputKind.JSON };
    case "json_schema":
      return { kind: OutputKind.JSON_SCHEMA, jsonSchema: JSON.stringify(output.schema) };
  }
}
