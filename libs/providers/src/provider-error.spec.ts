import { Code, PoolError, type CallEnd } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./engine-request.js";
import { ProviderError, type ProviderErrorKind } from "./provider-error.js";

describe("R-QOS-4 / R-API-4 ProviderError: one error, a call end for the breaker, a PoolError code for the edges", () => {
  const table: Array<[ProviderErrorKind, number | undefined, Code, CallEnd, boolean]> = [
    // A bare timeout is the caller's: only the provider, knowing the engine's typical time, may call it slow.
    ["timeout", undefined, Code.DeadlineExceeded, "caller_gave_up", false],
    ["cancelled", undefined, Code.Canceled, "caller_gave_up", false],
    ["http_status", 500, Code.Unavailable, "engine_fault", true],
    ["http_status", 503, Code.Unavailable, "engine_fault", true],
    ["http_status", 400, Code.Unavailable, "caller_rejected", false],
    // An engine saying "busy" is load, not a fault.
    ["rate_limited", 429, Code.Unavailable, "overload", false],
    ["malformed", undefined, Code.Unavailable, "engine_fault", true],
    ["truncated", undefined, Code.Unavailable, "engine_fault", true],
    ["connection", undefined, Code.Unavailable, "engine_fault", true],
    ["model_missing", 404, Code.Unavailable, "engine_fault", true],
    ["invalid_output", undefined, Code.Unavailable, "engine_fault", true],
    ["saturated", undefined, Code.Unavailable, "overload", false],
    ["engine", undefined, Code.Unavailable, "engine_fault", true],
  ];

  it.each(table)("%s (status %s) -> %s, %s, countsAsFailure %s", (kind, status, code, callEnd, counts) => {
    const error = new ProviderError("ollama-phi3", kind, "what happened", status === undefined ? {} : { status });
    expect(error).toBeInstanceOf(PoolError);
    expect(error.code).toBe(code);
    expect(error.callEnd).toBe(callEnd);
    expect(error.countsAsFailure).toBe(counts);
    expect(error.message).toBe("ollama-phi3: what happened");
  });

  it("reclassified(): same kind, code and cause, another call end and message", () => {
    const timeout = new ProviderError("p", "timeout", "deadline exceeded before the engine answered", { cause: "why" });
    const slow = timeout.reclassified("engine_slow", "the engine ran 900 ms, 3x its typical 300 ms");
    expect(slow).toMatchObject({ kind: "timeout", code: Code.DeadlineExceeded, callEnd: "engine_slow", cause: "why" });
    expect(slow.message).toBe("p: the engine ran 900 ms, 3x its typical 300 ms");
    expect(slow.countsAsFailure).toBe(true);
    expect(timeout.reclassified("overload").message).toBe(timeout.message);
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
