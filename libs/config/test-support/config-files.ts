// Test support for this package's specs (never built, never imported from src/): real files in throw-away directories.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { ConfigError, type ConfigIssue } from "../src/config-error.js";

export const CONFIGS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../configs");
export const EXAMPLE_PATH = join(CONFIGS_DIR, "llm-pool.example.toml");
export const MINIMAL_PATH = join(CONFIGS_DIR, "test-minimal.toml");
export const MINIMAL = readFileSync(MINIMAL_PATH, "utf8");
export const EXAMPLE_ENV = {
  LLMPOOL_KEY_VVTV_A: "secret-a-0123456789abcdef0123456789abcdef",
  LLMPOOL_KEY_VVTV_B: "secret-b-0123456789abcdef0123456789abcdef",
};

const dirs: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "llm-pool-config-"));
  dirs.push(dir);
  return dir;
}

/** Call from afterEach. */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The minimal config with `extra` TOML appended (new tables, or keys after [tenancy]). */
export function minimalWith(extra: string): string {
  return `${MINIMAL}\n${extra}\n`;
}

export async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

export function issueAt(error: ConfigError, path: string): ConfigIssue {
  const issue = error.issues.find((i) => i.path === path);
  if (issue === undefined) {
    throw new Error(`no issue at ${path}; got:\n${error.format()}`);
  }
  return issue;
}

/** 1-based line of the first line in `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not in text`);
  return index + 1;
}

/** Resolves with the first value pushed to it, or rejects after `ms` (a bound, not a timing assertion). */
export function nextValue<T>(ms = 10_000): { push(value: T): void; next(): Promise<T> } {
  const queue: T[] = [];
  let waiting: ((value: T) => void) | undefined;
  return {
    push(value) {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve(value);
      } else {
        queue.push(value);
      }
    },
    next() {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          reject(new Error(`nothing arrived within ${ms} ms`));
        }, ms);
        waiting = (value) => {
          clearTimeout(timer);
          resolve(value);
        };
      });
    },
  };
}
