import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { TomlError, parse as parseToml } from "smol-toml";
import { ConfigError, type ConfigIssue } from "./config-error.js";
import { deepFreeze } from "./deep-freeze.js";
import { checkEnvReferences, type ConfigEnv } from "./env-references.js";
import { IssueCollector } from "./issue-collector.js";
import { loadReferencedFiles } from "./referenced-files.js";
import { resolveConfig } from "./resolve-config.js";
import { configFileSchema } from "./schema/config-file.js";
import { describeSchemaIssue, schemaIssues } from "./schema-issues.js";
import type { ConfigSnapshot } from "./snapshot.js";
import { TomlLocator } from "./toml-locator.js";

/** A config file is a page of settings; anything this large is a mistake (or an attack on the parser). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
// Inline tables and arrays nest a few levels at most in a real config.
const MAX_TOML_DEPTH = 32;

export interface LoadConfigOptions {
  /** Where referenced env vars are checked; defaults to process.env. */
  readonly env?: ConfigEnv;
}

export interface ParseConfigOptions extends LoadConfigOptions {
  /** Directory that relative prompt_file, schema_file, TLS and JWKS paths are resolved against. */
  readonly baseDir: string;
  /** Recorded as the snapshot's `path` and used to prefix error lines; defaults to "llm-pool.toml". */
  readonly path?: string;
}

/** Reads, validates and resolves one llm-pool.toml. Rejects with a ConfigError listing every problem. */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<ConfigSnapshot> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === "ENOENT" ? "file does not exist" : `cannot read file (${(error as Error).message})`;
    throw new ConfigError(path, [{ kind: "io", path: "", message }]);
  }
  return parseConfigBytes(bytes, { ...options, path, baseDir: dirname(resolve(path)) });
}

/** Validates config text that is already in memory (tests, `check-config` on stdin, tooling). */
export async function parseConfig(text: string, options: ParseConfigOptions): Promise<ConfigSnapshot> {
  return parseConfigBytes(Buffer.from(text, "utf8"), options);
}

async function parseConfigBytes(bytes: Buffer, options: ParseConfigOptions): Promise<ConfigSnapshot> {
  const path = options.path ?? "llm-pool.toml";
  const fail = (issue: ConfigIssue): never => {
    throw new ConfigError(path, [issue]);
  };
  if (bytes.length > MAX_CONFIG_BYTES) fail({ kind: "io", path: "", message: `file is larger than ${MAX_CONFIG_BYTES} bytes` });

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fail({ kind: "syntax", path: "", message: "file is not valid UTF-8" });
  }

  let raw: unknown;
  try {
    raw = parseToml(text, { unsafeKeyBehaviour: "throw", maxDepth: MAX_TOML_DEPTH });
  } catch (error) {
    if (error instanceof TomlError) {
      fail({ kind: "syntax", path: "", message: tomlMessage(error), line: error.line, column: error.column });
    }
    throw error;
  }

  const locator = TomlLocator.fromSource(text);
  const parsed = configFileSchema.safeParse(raw, { error: describeSchemaIssue });
  if (!parsed.success) throw new ConfigError(path, sortIssues(schemaIssues(parsed.error, raw, locator)));

  const issues = new IssueCollector(locator);
  const resolved = resolveConfig(parsed.data, options.baseDir, issues);
  checkEnvReferences(resolved, options.env ?? process.env, issues);
  const tasks = await loadReferencedFiles(resolved, issues);
  if (issues.size > 0) throw new ConfigError(path, sortIssues(issues.issues));

  const snapshot: ConfigSnapshot = {
    version: createHash("sha256").update(bytes).digest("hex").slice(0, 16),
    path,
    ...resolved,
    tasks,
  };
  return deepFreeze(snapshot);
}

/** smol-toml's message carries a code excerpt after a blank line; the position is reported separately. */
function tomlMessage(error: TomlError): string {
  const first = error.message.split("\n")[0] ?? error.message;
  return first.replace(/^Invalid TOML document:\s*/, "");
}

/** Source order, so the output reads top to bottom like the file; unplaced issues last. */
function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.path.localeCompare(b.path),
  );
}

