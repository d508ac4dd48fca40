import { describe, expect, it } from "vitest";
import { ConcurrencyLimit } from "./concurrency-limit.js";

/** `n` answers of `ms` each, every one started with the limit reached. */
function answers(limit: ConcurrencyLimit, n: number, ms: number, model = "phi3"): void {
  for (let i = 0; i < n; i++) {
    limit.started(limit.limit);
    limit.answered({ model, ms, solo: false, busy: true });
  }
}

describe("R-QOS-5: the concurrency of an engine is learned, bounded by max_concurrency", () => {
  it("starts at max_concurrency and stays there while calls take their time alone", () => {
    const limit = new ConcurrencyLimit({ max: 4, adaptive: true });
    expect(limit.limit).toBe(4);
    limit.answered({ model: "phi3", ms: 400, solo: true, busy: false });
    answers(limit, 50, 450);
    expect(limit.limit).toBe(4);
  });

  it("an engine that queues behind fewer slots than allowed gets about as many calls as it runs at once", () => {
    const limit = new ConcurrencyLimit({ max: 8, adaptive: true });
    limit.answered({ model: "phi3", ms: 400, solo: true, busy: false });
    answers(limit, 10, 1600); // 8 in flight on 2 slots: four times the time alone, so about 2 run at once
    expect(limit.limit).toBe(2);
    answers(limit, 10, 440); // no queue inside the engine, and the limit was reached: try one more
    expect(limit.limit).toBe(3);
    answers(limit, 10, 600); // 1.5 times: still within tolerance
    expect(limit.limit).toBe(4);
    answers(limit, 10, 800); // twice: back to about two
    expect(limit.limit).toBe(2);
  });

  it("a faster engine is used fully: the limit grows back one step per window, never past the bound", () => {
    const limit = new ConcurrencyLimit({ max: 3, adaptive: true });
    limit.answered({ model: "phi3", ms: 400, solo: true, busy: false });
    limit.overloaded();
    limit.overloaded();
    expect(limit.limit).toBe(1);
    answers(limit, 10, 400);
    answers(limit, 10, 400);
    answers(limit, 10, 400);
    expect(limit.limit).toBe(3);
  });

  it("does not grow while the limit is not reached (nothing says more would help)", () => {
    const limit = new ConcurrencyLimit({ max: 4, adaptive: true });
    limit.answered({ model: "phi3", ms: 400, solo: true, busy: false });
    limit.overloaded();
    for (let i = 0; i < 30; i++) {
      limit.started(1);
      limit.answered({ model: "phi3", ms: 400, solo: false, busy: true });
    }
    expect(limit.limit).toBe(3);
  });

  it("a call cut far past its time alone counts as one long latency: one stall leaves the limit, mostly long calls lower it", () => {
    const limit = new ConcurrencyLimit({ max: 2, adaptive: true });
    limit.answered({ model: "phi3", ms: 300, solo: true, busy: false });
    limit.started(2);
    limit.cutShort({ model: "phi3", ms: 2800, solo: false, busy: false });
    answers(limit, 9, 330);
    expect(limit.limit).toBe(2);
    for (let i = 0; i < 10; i++) limit.cutShort({ model: "phi3", ms: 1200, solo: false, busy: true });
    expect(limit.limit).toBe(1);
  });

  it("a cut call never teaches a model's time alone, even when it ran alone", () => {
    const limit = new ConcurrencyLimit({ max: 4, adaptive: true });
    limit.cutShort({ model: "phi3", ms: 3000, solo: true, busy: false });
    limit.answered({ model: "phi3", ms: 300, solo: true, busy: false });
    answers(limit, 10, 600); // twice the time alone measured by answers: calls queue in the engine
    expect(limit.limit).toBe(2);
  });

  it("a fast engine whose calls take a few ms longer under load keeps its limit: that is the pool's own event loop, not a queue in the engine", () => {
    const limit = new ConcurrencyLimit({ max: 1024, adaptive: true });
    limit.answered({ model: "vllm", ms: 0.5, solo: true, busy: false });
    answers(limit, 200, 12, "vllm"); // 24 times the time alone, but 11.5 ms more: no generation waits for another
    expect(limit.limit).toBe(1024);
    limit.answered({ model: "mock-50ms", ms: 50, solo: true, busy: false });
    answers(limit, 200, 95, "mock-50ms");
    expect(limit.limit).toBe(1024);
  });

  it("a fast engine that does queue (calls wait longer than the slack) still gets fewer calls at once", () => {
    const limit = new ConcurrencyLimit({ max: 64, adaptive: true });
    limit.answered({ model: "vllm", ms: 20, solo: true, busy: false });
    answers(limit, 10, 320, "vllm"); // 16 times the time alone and 300 ms more: 64 in flight, about 4 run at once
    expect(limit.limit).toBe(5);
  });

  it("judges each model against its own time alone", () => {
    const limit = new ConcurrencyLimit({ max: 4, adaptive: true });
    limit.answered({ model: "phi3", ms: 300, solo: true, busy: false });
    limit.answered({ model: "llama", ms: 900, solo: true, busy: false });
    for (let i = 0; i < 5; i++) {
      answers(limit, 1, 350, "phi3");
      answers(limit, 1, 1000, "llama");
    }
    expect(limit.limit).toBe(4);
  });

  it("a busy engine never seen idle drops to one call to measure its time alone; a quiet one just waits for a solo call", () => {
    const limit = new ConcurrencyLimit({ max: 4, adaptive: true });
    for (let i = 0; i < 30; i++) limit.answered({ model: "phi3", ms: 400, solo: false, busy: false });
    expect(limit.limit).toBe(4);
    answers(limit, 10, 900);
    expect(limit.limit).toBe(1);
  });

  it("with adaptive_concurrency = false the limit is max_concurrency, whatever happens", () => {
    const limit = new ConcurrencyLimit({ max: 4, adaptive: false });
    limit.answered({ model: "phi3", ms: 400, solo: true, busy: false });
    answers(limit, 30, 4000);
    limit.overloaded();
    expect(limit.limit).toBe(4);
    limit.reconfigure(2, false);
    expect(limit.limit).toBe(2);
  });
});
