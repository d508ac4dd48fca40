import { describe, expect, it } from "vitest";
import { LatencyTracker } from "./latency-tracker.js";

function filled(values: number[], size?: number): LatencyTracker {
  const tracker = new LatencyTracker(size === undefined ? {} : { size });
  for (const v of values) tracker.record("phi3", "rerank", v);
  return tracker;
}

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe("LatencyTracker (adaptive hedge delay)", () => {
  it("returns nearest-rank percentiles of the recorded latencies", () => {
    // Recorded out of order on purpose.
    const tracker = filled([...oneToHundred].reverse());
    expect(tracker.percentile("phi3", "rerank", 0.5)).toBe(50);
    expect(tracker.percentile("phi3", "rerank", 0.9)).toBe(90);
    expect(tracker.percentile("phi3", "rerank", 0.95)).toBe(95);
    expect(tracker.percentile("phi3", "rerank", 1)).toBe(100);
    expect(tracker.percentile("phi3", "rerank", 0.001)).toBe(1);
  });

  it("forgets the oldest latencies once the ring is full", () => {
    const tracker = filled(Array.from({ length: 20 }, (_, i) => i + 1), 10);
    expect(tracker.count("phi3", "rerank")).toBe(10);
    expect(tracker.percentile("phi3", "rerank", 0.01)).toBe(11);
    expect(tracker.percentile("phi3", "rerank", 1)).toBe(20);
  });

  it("follows a provider that slows down", () => {
    const tracker = filled(Array(128).fill(200));
    expect(tracker.percentile("phi3", "rerank", 0.9)).toBe(200);
    for (let i = 0; i < 20; i++) tracker.record("phi3", "rerank", 900);
    expect(tracker.percentile("phi3", "rerank", 0.9)).toBe(900);
  });

  it("keeps each provider and task apart", () => {
    const tracker = filled(oneToHundred);
    tracker.record("llama", "rerank", 5000);
    expect(tracker.percentile("llama", "rerank", 0.5)).toBe(5000);
    expect(tracker.percentile("phi3", "expand_queries", 0.5)).toBeUndefined();
    expect(tracker.count("phi3", "expand_queries")).toBe(0);
  });

  it("ignores latencies that are not finite non-negative numbers", () => {
    const tracker = filled([Number.NaN, -1, Number.POSITIVE_INFINITY, 10]);
    expect(tracker.count("phi3", "rerank")).toBe(1);
  });

  it("hedges at hedge_after_ms until it has minSamples samples", () => {
    const tracker = filled(Array(19).fill(100));
    expect(tracker.hedgeDelay("phi3", "rerank", { fallbackMs: 300 })).toBe(300);
    tracker.record("phi3", "rerank", 100);
    expect(tracker.hedgeDelay("phi3", "rerank", { fallbackMs: 300 })).toBe(100);
    expect(tracker.hedgeDelay("llama", "rerank", { fallbackMs: 350, minMs: 400 })).toBe(350);
  });

  it("hedges at the observed percentile, clamped to [minMs, maxMs]", () => {
    const tracker = filled(oneToHundred.map((v) => v * 10));
    expect(tracker.hedgeDelay("phi3", "rerank", { fallbackMs: 300 })).toBe(900);
    expect(tracker.hedgeDelay("phi3", "rerank", { fallbackMs: 300, percentile: 0.5 })).toBe(500);
    expect(tracker.hedgeDelay("phi3", "rerank", { fallbackMs: 300, maxMs: 600 })).toBe(600);
    expect(tracker.hedgeDelay("phi3", "rerank", { fallbackMs: 300, percentile: 0.01, minMs: 80 })).toBe(80);
  });

  it("refuses a percentile outside (0, 1] and a ring of no size", () => {
    const tracker = filled([1]);
    expect(() => tracker.percentile("phi3", "rerank", 0)).toThrow(RangeError);
    expect(() => tracker.percentile("phi3", "rerank", 1.5)).toThrow(RangeError);
    expect(() => new LatencyTracker({ size: 0 })).toThrow(RangeError);
  });
});
