import { describe, expect, it } from "vitest";
import { formatTable, type ModeRow } from "./report.js";

const row = (mode: string, p95: number, extraCalls: number): ModeRow => ({
  mode,
  requests: 100,
  latency: { p50: 300, p95, p99: 1000, mean: 350 },
  failed: 0.01,
  extraCalls,
  denied: 2,
  breakerOpens: 0,
});

describe("formatTable", () => {
  it("prints one aligned line per mode with ratios to the first row", () => {
    const lines = formatTable([row("no hedge", 900, 0), row("fixed 350 ms", 720, 0.4)]).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^mode\s+p50\s+p95\s+p99\s+failed\s+extra calls\s+denied\s+opens\s+p50 x\s+p95 x\s+p99 x$/);
    expect(lines[2]).toMatch(/^no hedge\s+300\s+900\s+1000\s+1\.0%\s+\+0\.0%\s+2\s+0\s+1\.00\s+1\.00\s+1\.00$/);
    expect(lines[3]).toMatch(/^fixed 350 ms\s+300\s+720\s+1000\s+1\.0%\s+\+40\.0%\s+2\s+0\s+1\.00\s+0\.80\s+1\.00$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it("prints nothing without rows", () => {
    expect(formatTable([])).toBe("");
  });
});
