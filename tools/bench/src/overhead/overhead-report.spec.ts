// The targets are arithmetic on rows of one run; these specs feed made-up rows, never a measurement.
import { describe, expect, it } from "vitest";
import type { LoadRow, OverheadReport, SweepRow } from "./overhead-bench.js";
import { formatLoadTable, formatSweepTable, formatTargetTable, overheadTargets } from "./overhead-report.js";

const latency = (p50: number, p99: number) => ({ p50, p90: p50, p99, p999: p99, max: p99, mean: p50 });
const load = (target: LoadRow["target"], speed: LoadRow["speed"], connections: number, throughput: number, p50: number, p99: number): LoadRow => ({
  target,
  speed,
  connections,
  requests: 1000,
  errors: 0,
  errorsByStatus: {},
  throughput,
  latency: latency(p50, p99),
  cpuMsPerRequest: 0.5,
});

function report(poolThroughput: number): OverheadReport {
  return {
    pinning: { servers: "0", mock: "1", generator: "1" },
    durationMs: 1000,
    rounds: 1,
    loads: [
      load("mock", "instant", 1, 4000, 0.2, 0.5),
      load("pool", "instant", 1, 2000, 0.4, 4),
      load("mock", "instant", 50, 5000, 10, 20),
      load("forwarder", "instant", 50, 1000, 50, 100),
      load("pool", "instant", 50, poolThroughput, 30, 60),
      load("mock", "50ms", 50, 950, 51, 60),
      load("pool", "50ms", 50, 940, 52, 66),
    ],
    sweep: [],
    memory: { pool: { idleRss: 100, loadRss: 140 }, forwarder: { idleRss: 80, loadRss: 90 } },
  };
}

describe("overheadTargets: the hot path's targets from one run's rows", () => {
  it("divides the pool by the forwarder and the engine alone, and subtracts the engine's latency at 1 connection", () => {
    const targets = overheadTargets(report(1600));
    expect(targets.map((t) => [t.measured, t.met])).toEqual([
      [1.6, true],
      [1.1, true],
      [0.4 - 0.2, true],
      [4 - 0.5, true],
      [1.4, false],
    ]);
    expect(formatTargetTable(targets)).toContain("NOT met");
  });

  it("a throughput bound is a minimum: below 1.5x the forwarder is not met", () => {
    const [throughput] = overheadTargets(report(1200));
    expect(throughput).toMatchObject({ measured: 1.2, kind: "min", met: false });
  });

  it("a run that lacks a row is a bench bug, named, not a target met by default", () => {
    const broken = { ...report(1600), loads: report(1600).loads.filter((r) => r.target !== "forwarder") };
    expect(() => overheadTargets(broken)).toThrow(/no forwarder row at 50 connections with the instant engine/);
  });
});

/** The cell of `column` in each data row of an aligned table (header, rule, rows), trimmed. */
function column(table: string, name: string): string[] {
  const [header, rule, ...rows] = table.split("\n");
  const end = header!.indexOf(name) + name.length;
  const start = rule!.lastIndexOf(" ", end - 1) + 1;
  return rows.map((r) => r.slice(start, end).trim());
}

describe("the errors cell: the total, then what it is made of by status", () => {
  it("the closed-loop table says a pool's errors were 429 refusals; a row without errors stays 0, every line aligned", () => {
    const loads = report(1600).loads.map((r) =>
      r.target === "pool" && r.speed === "instant" && r.connections === 50 ? { ...r, errors: 683, errorsByStatus: { "429": 683 } } : r,
    );
    const table = formatLoadTable(loads);
    expect(column(table, "errors")).toEqual(["0", "0", "0", "0", "683 (429×683)", "0", "0"]);
    expect(new Set(table.split("\n").map((line) => line.length)).size).toBe(1);
  });

  it("the fixed-rate table lists the statuses largest first, failed exchanges by name, ties in status order", () => {
    const at = (rate: number, errors: number, errorsByStatus: Record<string, number>): SweepRow => ({
      target: "pool",
      speed: "instant",
      rate,
      achieved: rate,
      latency: latency(1, 2),
      errors,
      errorsByStatus,
      unfinished: 0,
      saturated: errors > 0,
      cpuMsPerRequest: 0.5,
    });
    const table = formatSweepTable([at(100, 0, {}), at(1000, 12, { failed: 2, "503": 10 }), at(2000, 3, { failed: 1, "504": 1, "429": 1 })]);
    expect(column(table, "errors")).toEqual(["0", "12 (503×10, failed×2)", "3 (429×1, 504×1, failed×1)"]);
  });
});
