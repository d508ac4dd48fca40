import { readFile, stat } from "node:fs/promises";
import { OutputSchemaCompiler } from "@llm-pool/output-schema";
import type { PathSegment } from "./config-path.js";
import { unenforceableSchemaParts } from "./enforceable-schema.js";
import type { IssueCollector } from "./issue-collector.js";
import type { TaskName } from "./names.js";
import type { ResolvedConfig } from "./resolve-config.js";
import type { TaskConfig } from "./snapshot.js";

/** Prompt and schema files are read whole into the snapshot; keep them small. */
export const MAX_REFERENCED_FILE_BYTES = 256 * 1024;

/**
 * Reads the files a config points at: task prompts and JSON schemas go into the snapshot; TLS,
 * JWKS and model files are only checked to exist (their consumers read them). Returns the tasks
 * with `prompt` and `schema` filled in.
 */
export async function loadReferencedFiles(
  config: ResolvedConfig,
  issues: IssueCollector,
): Promise<Record<TaskName, TaskConfig>> {
  const tasks = { ...config.tasks };
  // Task schemas meet the limits client schemas do, so a schema that would be refused per request is refused here.
  const schemas = new OutputSchemaCompiler();
  await Promise.all(
    Object.values(config.tasks).map(async (task) => {
      const path: PathSegment[] = ["tasks", task.name];
      const prompt = task.prompt_file === null ? null : await readText(task.prompt_file, [...path, "prompt_file"], issues);
      let schema: unknown = null;
      if (task.schema_file !== null) {
        const text = await readText(task.schema_file, [...path, "schema_file"], issues);
        if (text !== null) schema = parseJsonSchema(text, [...path, "schema_file"], issues, schemas);
        if (schema !== null) {
          for (const part of unenforceableSchemaParts(schema)) {
            issues.add("file", [...path, "schema_file"], `${task.schema_file} at ${part.pointer || "(root)"}: ${part.message}`);
          }
        }
      }
      tasks[task.name] = { ...task, prompt, schema };
    }),
  );

  const mustExist: Array<[PathSegment[], string | null]> = [];
  const tls = config.server.tls;
  if (tls !== null) {
    mustExist.push([["server", "tls", "cert_file"], tls.cert_file], [["server", "tls", "key_file"], tls.key_file]);
    mustExist.push([["server", "tls", "client_ca_file"], tls.client_ca_file]);
  }
  config.providers.forEach((provider, i) => {
    if (provider.driver === "embedded") mustExist.push([["providers", i, "model_path"], provider.model_path]);
  });
  for (const tenant of Object.values(config.tenancy.tenants)) {
    mustExist.push([["tenancy", "tenants", tenant.id, "jwt", "jwks_file"], tenant.jwt?.jwks_file ?? null]);
  }
  await Promise.all(mustExist.map(([path, file]) => (file === null ? undefined : checkIsFile(file, path, issues))));
  return tasks;
}

async function readText(file: string, path: PathSegment[], issues: IssueCollector): Promise<string | null> {
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      issues.add("file", path, `${file} is not a file`);
      return null;
    }
    if (info.size > MAX_REFERENCED_FILE_BYTES) {
      issues.add("file", path, `${file} is larger than ${MAX_REFERENCED_FILE_BYTES} bytes`);
      return null;
    }
    return await readFile(file, "utf8");
  } catch (error) {
    issues.add("file", path, describeFsError(file, error));
    return null;
  }
}

function parseJsonSchema(text: string, path: PathSegment[], issues: IssueCollector, schemas: OutputSchemaCompiler): unknown {
  try {
    const schema: unknown = JSON.parse(text);
    if (schema === null || typeof schema !== "object" || Array.isArray(schema)) {
      issues.add("file", path, "must contain a JSON Schema object");
      return null;
    }
    const compiled = schemas.compile(schema);
    if (!compiled.ok) {
      issues.add("file", path, `is not a JSON Schema the pool can check answers with: ${compiled.reason}`);
      return null;
    }
    return schema;
  } catch (error) {
    issues.add("file", path, `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

async function checkIsFile(file: string, path: PathSegment[], issues: IssueCollector): Promise<void> {
  try {
    if (!(await stat(file)).isFile()) issues.add("file", path, `${file} is not a file`);
  } catch (error) {
    issues.add("file", path, describeFsError(file, error));
  }
}

function describeFsError(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return `${file} does not exist`;
  if (code === "EACCES") return `${file} is not readable`;
  return `${file} cannot be read (${error instanceof Error ? error.message : String(error)})`;
}
