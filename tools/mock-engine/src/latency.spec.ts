import { describe, expect, it } from "vitest";
import { drawLatency, planLatency } from "./latency.js";
import { seededRandom } from "./prng.js";

const warm = { promptTokens: 100, evalTokens: 50, cold: false, timeScale: 1 };

describe("latency models", () => {
  it("fixed spends the whole time generating, plus the cold load when not resident", () => {
    const spec = { kind: "fixed", ms: 120, cold_load_ms: 900 } as const;
    const draw = drawLatency(seededRandom(1));
    expect(planLatency(spec, draw, warm)).toEqual({ loadMs: 0, promptEvalMs: 0, evalMs: 120 });
    expect(planLatency(spec, draw, { ...warm, cold: true })).toEqual({ loadMs: 900, promptEvalMs: 0, evalMs: 120 });
  });

  it("uniform stays within its range", () => {
    const random = seededRandom(2);
    for (let i = 0; i < 200; i++) {
      const { evalMs } = planLatency({ kind: "uniform", min_ms: 50, max_ms: 80 }, drawLatency(random), warm);
      expect(evalMs).toBeGreaterThanOrEqual(50);
      expect(evalMs).toBeLessThanOrEqual(80);
    }
  });

  it("lognormal lands near its p50 and p95", () => {
    const random = seededRandom(3);
    const samples = Array.from({ length: 4001 }, () => planLatency({ kind: "lognormal", p50_ms: 200, p95_ms: 800 }, drawLatency(random), warm).evalMs).sort((a, b) => a - b);
    expect(samples[2000]).toBeGreaterThan(180);
    expect(samples[2000]).toBeLessThan(220);
    expect(samples[3800]).toBeGreaterThan(680);
    expect(samples[3800]).toBeLessThan(940);
  });

  it("throughput reads the prompt and writes the tokens at their rates", () => {
    const spec = { kind: "throughput", tokens_per_s: 25, prompt_tokens_per_s: 500, cold_load_ms: 3000 } as const;
    expect(planLatency(spec, drawLatency(seededRandom(4)), { ...warm, cold: true })).toEqual({ loadMs: 3000, promptEvalMs: 200, evalMs: 2000 });
  });

  it("time_scale shrinks every duration", () => {
    const spec = { kind: "throughput", tokens_per_s: 25, prompt_tokens_per_s: 500, cold_load_ms: 3000 } as const;
    expect(planLatency(spec, drawLatency(seededRandom(4)), { ...warm, cold: true, timeScale: 0.01 })).toEqual({ loadMs: 30, promptEvalMs: 2, evalMs: 20 });
  });

  it("the same seed draws the same latencies", () => {
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => planLatency({ kind: "uniform", min_ms: 0, max_ms: 1000 }, drawLatency(random), warm).evalMs);
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });
});
