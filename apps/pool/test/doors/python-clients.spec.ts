import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, startDoorsPool, type DoorsPool } from "./doors-fixture.js";

// R-API-7: the official Python clients (`openai`, `ollama`, pinned in sdk/python/requirements-dev.txt,
// installed in .venv by tools/setup.sh), unmodified, against the assembled pool's doors.
const python = fileURLToPath(new URL("../../../../.venv/bin/python", import.meta.url));
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

function run(name: string, args: string[]): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    execFile(python, [script(name), ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${name}: ${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as Record<string, any>),
    );
  });
}

let doors: DoorsPool;
beforeAll(async () => {
  if (!existsSync(python)) throw new Error(`missing ${python}: run 'npm run setup' (tools/setup.sh) first`);
  doors = await startDoorsPool();
}, 60_000);
afterAll(() => doors?.stop());

describe("R-API-7 the official Python clients against the pool's doors", () => {
  it("openai: chat, streamed chat, a JSON-schema response_format, the model list, AuthenticationError and RateLimitError", async () => {
    const seen = await run("openai_client.py", [doors.url, KEYS.vvtv, KEYS.tight]);
    expect(seen["chat"].content.split(" ")).toHaveLength(10);
    expect(seen["chat"]).toMatchObject({ finish_reason: "stop", completion_tokens: 10, pool: { winnerProvider: "fast", strategyApplied: "STRATEGY_FASTEST" } });
    expect(seen["stream"].pieces.join("")).toBe(seen["chat"].content);
    expect(seen["stream"]).toMatchObject({ completion_tokens: 10, pool: { winnerProvider: "fast" } });
    expect(Array.isArray(seen["json_schema"].queries)).toBe(true);
    expect(seen["models"]).toContain("pool/QUICK");
    expect(seen["auth"]).toEqual({ class: "AuthenticationError", status: 401, code: "unauthenticated", type: "authentication_error" });
    expect(seen["rate_limit"]).toMatchObject({ class: "RateLimitError", status: 429, code: "resource_exhausted" });
    expect(Number(seen["rate_limit"].retry_after)).toBeGreaterThan(0);
  });

  it("ollama: list, chat, streamed chat, generate with a system part, streamed generate, ResponseError 401", async () => {
    const seen = await run("ollama_client.py", [doors.ollamaUrl, KEYS.vvtv]);
    expect(seen["models"]).toEqual(["pool/expand_queries:latest", "pool/site_tactics:latest", "pool/rerank_candidates:latest", "pool/enrich_metadata:latest", "pool/QUICK:latest"]);
    expect(seen["chat"]).toMatchObject({ done: true, eval_count: 10 });
    expect(seen["chat_stream"].join("")).toBe(seen["chat"].content);
    expect(seen["generate"].response.split(" ")).toHaveLength(10);
    expect(seen["generate_stream"].join("")).toBe(seen["generate"].response);
    expect(seen["auth"]).toEqual({ class: "ResponseError", status: 401, error: "the request is not authenticated" });
  });
});
