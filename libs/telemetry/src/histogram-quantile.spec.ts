import { describe, expect, it } from "vitest";
import { histogramQuantile } from "./histogram-quantile.js";

const buckets = [
  { le: 100, count: 10 },
  { le: 500, count: 90 },
  { le: 1000, count: 100 },
  { le: Infinity, count: 100 },
];

describe("histogram quantiles for the status page, as Prometheus computes them (R-OBS-4)", () => {
  it("interpolates linearly inside the bucket the rank falls in", () => {
    expect(histogramQuantile(0.5, buckets)).toBe(100 + (400 * 40) / 80);
    expect(histogramQuantile(0.95, buckets)).toBe(500 + (500 * 5) / 10);
    expect(histogramQuantile(0.05, buckets)).toBe(50);
  });

  it("answers the highest finite bound for ranks in +Inf, and nothing for an empty histogram", () => {
    expect(histogramQuantile(0.99, [{ le: 100, count: 1 }, { le: Infinity, count: 10 }])).toBe(100);
    expect(histogramQuantile(0.5, [{ le: 100, count: 0 }, { le: Infinity, count: 0 }])).toBeUndefined();
  });
});
