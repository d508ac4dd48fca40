import { Code, PoolError } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./engine-request.js";
import { ProviderError, type ProviderErrorKind } from "./provider-error.js";

describe("R-QOS-1 / R-API-4 ProviderError: one error, a kind for the breaker, a PoolError code for the edges", () => {
  const table: Array<[ProviderErrorKind, number | undefined, Code, boolean]> = [
    ["timeout", undefined, Code.DeadlineExceeded, true],
    ["cancelled", undefined, Code.Canceled, false],
    ["http_status", 500, Code.Unavailable, true],
    ["http_status", 503, Code.Unavailable, true],
    ["http_status", 400, Code.Unavailable, false],
    ["rate_limited", 429, Code.Unavailable, true],
    ["malformed", undefined, Code.Unavailable, true],
    ["truncated", undefined, Code.Unavailable, true],
    ["connection", undefined, Code.Unavailable, true],
    ["model_missing", 404, Code.Unavailable, true],
    ["invalid_output", undefined, Code.Unavailable, true],
    ["saturated", undefined, Code.Unavailable, false],
    ["engine", undefined, Code.Unavailable, true],
  ];

  it.each(table)("%s (status %s) -> %s, countsAsFailure %s", (kind, status, code, counts) => {
    const error = new ProviderError("ollama-phi3", kind, "what happened", status === undefined ? {} : { status });
    expect(error).toBeInstanceOf(PoolError);
    expect(error.code).toBe(code);
    expect(error.countsAsFailure).toBe(counts);
    expect(error.message).toBe("ollama-phi3: what happened");
  });

  it("from(): an aborted signal decides, a deadline is a timeout and anything else a cancel", () => {
    const deadline = new AbortController();
    deadline.abort(new PoolError(Code.DeadlineExceeded, "deadline of 800 ms exceeded"));
    expect(ProviderError.from(new TypeError("fetch failed"), "p", deadline.signal).kind).toBe("timeout");
    const hedge = new AbortController();
    hedge.abort(new PoolError(Code.Canceled, "another candidate won"));
    expect(ProviderError.from(new TypeError("fetch failed"), "p", hedge.signal).kind).toBe("cancelled");
    const bare = new AbortController();
    bare.abort();
    expect(ProviderError.from(bare.signal.reason, "p", bare.signal).kind).toBe("cancelled");
    expect(ProviderError.from(AbortSignal.abort(new DOMException("late", "TimeoutError")).reason, "p").kind).toBe("timeout");
  });

  it("from(): a ProviderError passes through; unknown errors become a generic engine error", () => {
    const original = new ProviderError("p", "truncated", "the engine's response ended early");
    expect(ProviderError.from(original, "p")).toBe(original);
    const wrapped = ProviderError.from(new Error("SIGSEGV in ggml at 0xdeadbeef"), "p");
    expect(wrapped).toMatchObject({ kind: "engine", message: "p: the engine call failed", code: Code.Unavailable });
  });
});

describe("R-SEC-5 Retry-After", () => {
  it("reads delay-seconds and HTTP dates; ignores anything else", () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 12:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
