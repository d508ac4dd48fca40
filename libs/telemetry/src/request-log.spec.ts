import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, logRequest } from "./request-log.js";

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join("").trim().split("\n").map((l) => JSON.parse(l)) };
}

describe("request log (R-OBS-2)", () => {
  it("writes one JSON line per request with the R-OBS-2 fields and the way the call came in", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    logRequest(logger, {
      request_id: "r1", tenant: "vvtv", project: "planner", task: "expand_queries", strategy: "FASTEST",
      winner_model: "phi3:mini", duration_ms: 412, from_cache: false, outcome: "ok",
      api: "openai", transport: "http", mode: "stream", first_token_ms: 120,
    });
    const [line] = out.lines();
    expect(line).toMatchObject({
      level: "info", msg: "infer", request_id: "r1", tenant: "vvtv", project: "planner", task: "expand_queries",
      strategy: "FASTEST", winner_model: "phi3:mini", duration_ms: 412, from_cache: false, outcome: "ok",
      api: "openai", transport: "http", mode: "stream", first_token_ms: 120,
    });
    expect(line).not.toHaveProperty("prompt");
  });

  it("logs failures at warn, and internal errors at error", () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    const base = { request_id: "r", tenant: "t", project: "p", task: "judge", strategy: "JUDGE", winner_model: "", duration_ms: 1, from_cache: false,
      api: "native", transport: "grpc", mode: "unary" } as const;
    logRequest(logger, { ...base, outcome: "invalid_argument" });
    logRequest(logger, { ...base, outcome: "internal" });
    expect(out.lines().map((l) => l.level)).toEqual(["warn", "error"]);
  });
});
