import type { LatencySummary } from "./stats.js";
import { alignTable, ms, pct, ratio } from "./table.js";

/** One measured mode, from the simulator or a live run. */
export interface ModeRow {
  readonly mode: string;
  readonly requests: number;
  readonly latency: LatencySummary;
  /** Queries without a valid answer (timed out or unavailable), as a share. */
  readonly failed: number;
  /** (upstream calls - queries) / queries. */
  readonly extraCalls: number;
  /** Hedges the budget refused. */
  readonly denied: number;
  readonly breakerOpens: number;
}

const COLUMNS = ["mode", "p50", "p95", "p99", "failed", "extra calls", "denied", "opens", "p50 x", "p95 x", "p99 x"] as const;

/**
 * A plain-text table of the rows, the first being the baseline: latencies in
 * ms and, on the right, each one as a ratio of the baseline's (below 1 is
 * faster).
 */
export function formatTable(rows: readonly ModeRow[]): string {
  const base = rows[0];
  if (!base) return "";
  const cells = rows.map((r) => [
    r.mode,
    ms(r.latency.p50),
    ms(r.latency.p95),
    ms(r.latency.p99),
    pct(r.failed),
    `${r.extraCalls >= 0 ? "+" : ""}${pct(r.extraCalls)}`,
    String(r.denied),
    String(r.breakerOpens),
    ratio(r.latency.p50, base.latency.p50),
    ratio(r.latency.p95, base.latency.p95),
    ratio(r.latency.p99, base.latency.p99),
  ]);
  return alignTable(COLUMNS, cells);
}
