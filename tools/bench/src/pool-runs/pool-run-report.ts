import { alignTable, tally } from "../table.js";
import type { CacheReport } from "./cache-bench.js";
import type { FaultsReport } from "./faults-bench.js";
import type { MemoryReport } from "./memory-bench.js";

const fixed = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : "-");
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The memory soak: RSS and heap early and late after warm-up, against the 5% bound. */
export function formatMemoryDrift(report: MemoryReport): string {
  const row = (name: string, d: MemoryReport["rss"]) => [name, mb(d.early), mb(d.late), fixed(d.ratio, 3), "≤ 1.05", d.ratio <= 1.05 ? "met" : "NOT met"];
  // Where RSS went, without a bound of its own: V8's committed heap, and the Buffers and such outside it.
  const part = (name: string, d: MemoryReport["rss"]) => [name, mb(d.early), mb(d.late), fixed(d.ratio, 3), "", ""];
  const table = alignTable(
    ["", "early", "late", "late / early", "bound", ""],
    [row("RSS", report.rss), row("heap used", report.heap), part("heap committed", report.heapTotal), part("external", report.external)],
  );
  return (
    `## Memory: ${report.requests} requests at ${report.rate} req/s through the pool (instant engine)\n` +
    `answered ${report.answered}, failed or unanswered ${tally(report.errors, { ...report.errorsByStatus, unanswered: report.unanswered })}; ${report.samples.length} samples; early / late: ` +
    `median of the first / last tenth of the samples after the first 10% of the run (warm-up)\n\n${table}`
  );
}

/** The cache replay: hit ratio against the seed's 30%, and a hit's latency beside a miss's. */
export function formatCacheReport(report: CacheReport): string {
  const summary = alignTable(
    ["queries", "from cache", "hit ratio", "bound", "", "engine calls", "failed"],
    [[String(report.queries), String(report.hits), pct(report.hitRatio), "≥ 30%", report.hitRatio >= 0.3 ? "met" : "NOT met", String(report.engineCalls), String(report.failed)]],
  );
  const latency = alignTable(
    ["answer", "p50", "p90", "p99", "max"],
    [
      ["from cache", ...[report.hitLatency.p50, report.hitLatency.p90, report.hitLatency.p99, report.hitLatency.max].map((v) => fixed(v, 2))],
      ["from the engine (50 ms)", ...[report.missLatency.p50, report.missLatency.p90, report.missLatency.p99, report.missLatency.max].map((v) => fixed(v, 2))],
    ],
  );
  return (
    `## Cache: ${report.workload} replayed through the pool\n` +
    `time x${report.timeScale} (TTL ${report.ttlMs} ms, the default 600 000 ms at the same scale); memory store; ms from each ` +
    `query's due time\n\n${summary}\n\n${latency}`
  );
}

/** The fault drill: timeout rate per task and tenant against the seed's 10%, with what the breaker did. */
export function formatFaultsReport(report: FaultsReport): string {
  const cells = report.rows.map((r) => [
    r.task.replace(/^TASK_/, "").toLowerCase(),
    r.tenant,
    String(r.queries),
    String(r.timeouts),
    String(r.failed),
    pct(r.timeoutRate),
    "< 10%",
    r.timeoutRate < 0.1 ? "met" : "NOT met",
    ...[r.latency.p50, r.latency.p90, r.latency.p99].map((v) => fixed(v, 0)),
  ]);
  const table = alignTable(["task", "tenant", "queries", "timeouts", "other failures", "timeout rate", "bound", "", "p50", "p90", "p99"], cells);
  const list = (counts: Readonly<Record<string, number>>) => Object.entries(counts).map(([name, n]) => `${name} ${n}`).join(", ") || "none";
  return (
    `## Faults: the primary fails 20% of its calls and hangs on 5%, FASTEST over it and a steady second\n` +
    `${report.rate} queries/s; shipped hedging, breakers and deadlines; ms from each query's due time\n\n${table}\n\n` +
    `breaker openings: ${report.breakerOpens}; engine calls: ${list(report.engineCalls)}; other failures: ${list(report.otherFailures)}`
  );
}
