import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { query, SPEC_TOML, specConfig } from "@llm-pool/cache/test-support";
import type { ConfigSnapshot } from "@llm-pool/config";
import { OutputKind, Strategy, Task, type Query } from "@llm-pool/contract";
import { bindTenant, validateQuery } from "@llm-pool/core";
import { beforeAll, describe, expect, it } from "vitest";
import { answerCacheKey, idempotencyKey, queryFingerprint } from "./answer-key.js";

let config: ConfigSnapshot;
const instructionFile = join(mkdtempSync(join(tmpdir(), "llm-pool-cache-key-")), "expand.md");
beforeAll(async () => {
  writeFileSync(instructionFile, "Expand the query into search terms.");
  config = await specConfig();
});

function input(q: Query, snapshot = config) {
  return { query: q, valid: validateQuery(q, snapshot), scope: bindTenant(q, undefined), config: snapshot };
}
const key = (q: Query, snapshot = config, share = false) => answerCacheKey(input(q, snapshot), { shareAcrossTenants: share });
const fingerprint = (q: Query, snapshot = config) => queryFingerprint(input(q, snapshot));

describe("the cache key (R-CACHE-1)", () => {
  it("is a SHA-256 in hex", () => {
    expect(key(query())).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, Record<string, unknown>]>([
    ["the tenant", { tenantId: "globex" }],
    ["the task", { task: Task.SITE_TACTICS }],
    ["the prompt", { prompt: "another prompt" }],
    ["the input", { input: { genre: "jazz" } }],
    ["max_tokens", { maxTokens: 64 }],
    ["the output kind", { output: { kind: OutputKind.TEXT } }],
    ["the output schema", { output: { kind: OutputKind.JSON_SCHEMA, jsonSchema: '{"type":"object"}' } }],
    ["the strategy", { strategy: Strategy.VOTING }],
  ])("R-CACHE-1: changes with %s", (_name, change) => {
    expect(key(query(change))).not.toBe(key(query()));
  });

  it.each<[string, Record<string, unknown>]>([
    ["the request_id", { requestId: "abc" }],
    ["the project", { projectId: "mobile" }],
    ["deadline_ms", { deadlineMs: 900 }],
    ["meta", { meta: { trace: "x" } }],
    ["max_tokens spelled as the task default", { maxTokens: 100 }],
    ["the strategy spelled as the task default", { strategy: Strategy.FASTEST }],
  ])("R-CACHE-1: does not change with %s", (_name, change) => {
    expect(key(query(change))).toBe(key(query()));
  });

  const task = '[tasks.expand_queries]\noutput = "json"';
  it.each([
    ["the task's instruction", task, `${task}\nprompt_file = "${instructionFile}"`],
    ["the task's temperature", task, `${task}\ntemperature = 0.7`],
    ["the task's seed", task, `${task}\nseed = 9`],
    ["the provider's model", 'model = "phi3:mini"', 'model = "qwen2.5:7b"'],
    ["the consensus threshold", "[cache]", "[ensemble]\nconsensus_threshold = 0.9\n\n[cache]"],
  ])("R-CACHE-1: changes when the config changes %s", async (_name, from, to) => {
    const edited = await specConfig(SPEC_TOML.replace(from, to));
    expect(key(query(), edited)).not.toBe(key(query()));
  });

  it("R-CACHE-1: does not change with config that does not change answers (limits, deadlines, the cache itself)", async () => {
    const edited = await specConfig(SPEC_TOML.replace("max_deadline_ms = 1500", "max_deadline_ms = 2000").replace("max_entries = 1000", "max_entries = 5"));
    expect(key(query(), edited)).toBe(key(query()));
  });

  it("R-CACHE-1: is one key space for all tenants only when tenants share", () => {
    expect(key(query({ tenantId: "acme" }), config, true)).toBe(key(query({ tenantId: "globex" }), config, true));
  });
});

describe("the idempotency fingerprint (R-CACHE-2)", () => {
  it("R-CACHE-2: tells apart queries that differ in what the client asked, tenant or project", () => {
    const base = fingerprint(query());
    for (const change of [{ prompt: "x" }, { maxTokens: 7 }, { projectId: "mobile" }, { tenantId: "globex" }, { input: { a: 1 } }, { strategy: Strategy.VOTING }]) {
      expect(fingerprint(query(change))).not.toBe(base);
    }
  });

  it("R-CACHE-2: ignores deadline_ms, meta and the key order of the input", () => {
    expect(fingerprint(query({ deadlineMs: 700, meta: { cache: "no-store" }, input: { a: 1, b: 2 } }))).toBe(
      fingerprint(query({ input: { b: 2, a: 1 } })),
    );
  });

  it("R-CACHE-2: does not change with a config reload, so a retry after one is not a conflict", async () => {
    const edited = await specConfig(SPEC_TOML.replace('model = "phi3:mini"', 'model = "qwen2.5:7b"'));
    expect(fingerprint(query(), edited)).toBe(fingerprint(query()));
  });

  it("R-CACHE-2: request ids live in one key space per tenant", () => {
    expect(idempotencyKey("acme", "r1")).not.toBe(idempotencyKey("globex", "r1"));
    expect(idempotencyKey("acme", "r1")).toBe(idempotencyKey("acme", "r1"));
  });
});
