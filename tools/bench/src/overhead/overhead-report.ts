import { alignTable, tally } from "../table.js";
import type { LoadRow, OverheadReport, SweepRow } from "./overhead-bench.js";

/** One of the hot path's targets, as measured: the figure, the bound it must meet and whether it did. */
export interface TargetCheck {
  readonly name: string;
  readonly measured: number;
  readonly bound: number;
  /** "max": measured ≤ bound; "min": measured ≥ bound. */
  readonly kind: "max" | "min";
  readonly unit: "x" | "ms";
  readonly met: boolean;
}

/** The row of `target` at that load; throws if the run did not measure it (a bench bug, not a result). */
function row(loads: readonly LoadRow[], target: LoadRow["target"], speed: LoadRow["speed"], connections: number): LoadRow {
  const found = loads.find((r) => r.target === target && r.speed === speed && r.connections === connections);
  if (!found) throw new Error(`no ${target} row at ${connections} connections with the ${speed} engine`);
  return found;
}

function check(name: string, measured: number, kind: TargetCheck["kind"], bound: number, unit: TargetCheck["unit"]): TargetCheck {
  return { name, measured, bound, kind, unit, met: kind === "max" ? measured <= bound : measured >= bound };
}

/** The hot path's targets (docs/BENCHMARKS.md), each a ratio or a difference of figures from the same run. */
export function overheadTargets(report: OverheadReport): TargetCheck[] {
  const { loads } = report;
  const pool50 = row(loads, "pool", "instant", 50);
  const forwarder50 = row(loads, "forwarder", "instant", 50);
  const slowPool = row(loads, "pool", "50ms", 50);
  const slowMock = row(loads, "mock", "50ms", 50);
  const pool1 = row(loads, "pool", "instant", 1);
  const mock1 = row(loads, "mock", "instant", 1);
  const { pool } = report.memory;
  return [
    check("throughput at 50 connections, pool / bare forwarder", pool50.throughput / forwarder50.throughput, "min", 1.5, "x"),
    check("p99 at 50 connections, 50 ms engine: pool / engine alone", slowPool.latency.p99 / slowMock.latency.p99, "max", 1.15, "x"),
    check("added p50 at 1 connection (pool - engine alone)", pool1.latency.p50 - mock1.latency.p50, "max", 0.3, "ms"),
    check("added p99 at 1 connection (pool - engine alone)", pool1.latency.p99 - mock1.latency.p99, "max", 5, "ms"),
    check("RSS under load / idle", pool.loadRss / pool.idleRss, "max", 1.3, "x"),
  ];
}

const fixed = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : "-");
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

/** The closed-loop table: each target at each load, the mock's row first as the baseline of the added latency. */
export function formatLoadTable(loads: readonly LoadRow[]): string {
  const header = ["engine", "conns", "target", "req/s", "p50", "p90", "p99", "p99.9", "added p50", "added p99", "cpu ms/req", "errors", "req/s x fwd"];
  const cells = loads.map((r) => {
    const mock = row(loads, "mock", r.speed, r.connections);
    const forwarder = loads.find((f) => f.target === "forwarder" && f.speed === r.speed && f.connections === r.connections);
    const added = r.target !== "mock";
    return [
      r.speed,
      String(r.connections),
      r.target,
      String(Math.round(r.throughput)),
      fixed(r.latency.p50, 2),
      fixed(r.latency.p90, 2),
      fixed(r.latency.p99, 2),
      fixed(r.latency.p999, 2),
      added ? fixed(r.latency.p50 - mock.latency.p50, 2) : "",
      added ? fixed(r.latency.p99 - mock.latency.p99, 2) : "",
      fixed(r.cpuMsPerRequest, 3),
      tally(r.errors, r.errorsByStatus),
      r.target === "pool" && forwarder ? fixed(r.throughput / forwarder.throughput, 2) : "",
    ];
  });
  return alignTable(header, cells);
}

/** The fixed-rate table: each rate up to the knee, marked. */
export function formatSweepTable(sweep: readonly SweepRow[]): string {
  const header = ["target", "engine", "rate", "achieved", "p50", "p90", "p99", "p99.9", "max", "cpu ms/req", "errors", "unfinished", "keeps up"];
  const cells = sweep.map((r) => [
    r.target,
    r.speed,
    String(r.rate),
    String(Math.round(r.achieved)),
    fixed(r.latency.p50, 2),
    fixed(r.latency.p90, 2),
    fixed(r.latency.p99, 2),
    fixed(r.latency.p999, 2),
    fixed(r.latency.max, 1),
    fixed(r.cpuMsPerRequest, 3),
    tally(r.errors, r.errorsByStatus),
    String(r.unfinished),
    r.saturated ? "no (knee)" : "yes",
  ]);
  return alignTable(header, cells);
}

export function formatMemoryTable(report: OverheadReport): string {
  const cells = (["pool", "forwarder"] as const).map((name) => {
    const m = report.memory[name];
    return [name, mb(m.idleRss), mb(m.loadRss), fixed(m.loadRss / m.idleRss, 2)];
  });
  return alignTable(["process", "idle RSS", "RSS under load", "x"], cells);
}

export function formatTargetTable(targets: readonly TargetCheck[]): string {
  const cells = targets.map((t) => [
    t.name,
    `${fixed(t.measured, 2)}${t.unit === "x" ? "x" : " ms"}`,
    `${t.kind === "max" ? "≤" : "≥"} ${t.bound}${t.unit === "x" ? "x" : " ms"}`,
    t.met ? "met" : "NOT met",
  ]);
  return alignTable(["target", "measured", "bound", ""], cells);
}

/** What `npm run bench -- overhead` prints before it measures: how to read the tables. */
export const OVERHEAD_LEGEND =
  "overhead: the same request straight to the mock engine, through a bare Hono forwarder and through the pool,\n" +
  "each in its own process (pool and forwarder pinned to one core); closed loops at 1 and 50 connections, instant\n" +
  "and 50 ms engine, rounds in turn; then open-loop fixed rates (latency from when each request was due).\n" +
  "p50…max: ms; added: minus the engine alone at the same load; cpu ms/req: the target process's CPU time per\n" +
  "answer; errors: answers other than 2xx and failed exchanges, by status (429×3: three 429s; failed: no answer,\n" +
  "the connection refused or closed); req/s x fwd: the pool's throughput over the forwarder's; keeps up: all\n" +
  "answered, no errors, p99 ≤ 100 ms.";

/** Every table of one overhead run, in the order the CLI prints them. */
export function formatOverhead(report: OverheadReport, targets: readonly TargetCheck[]): string {
  const pins = report.pinning;
  return [
    `## Overhead: closed loops (${report.rounds} rounds of ${report.durationMs} ms each)\n\n${formatLoadTable(report.loads)}`,
    `## Overhead: fixed rates\n\n${formatSweepTable(report.sweep)}`,
    `## Overhead: memory\n\n${formatMemoryTable(report)}`,
    `## Overhead: targets\n\n${formatTargetTable(targets)}`,
    `pinned: pool and forwarder on CPU ${pins.servers ?? "-"}, mock on ${pins.mock ?? "-"}, generator on ${pins.generator ?? "-"}`,
  ].join("\n\n");
}

