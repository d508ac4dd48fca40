import { alignTable, ms, pct, ratio } from "../table.js";
import type { GatewayRow } from "./gateway-bench.js";

/** Latencies per path, and each gateway path's percentiles as a ratio of its direct twin's. */
export function formatGatewayTable(rows: readonly GatewayRow[]): string {
  const byPath = new Map(rows.map((r) => [r.path, r]));
  return alignTable(
    ["path", "requests", "p50", "p95", "p99", "failed", "p50 x", "p95 x", "p99 x"],
    rows.map((r) => {
      const base = r.baseline ? byPath.get(r.baseline) : undefined;
      return [
        r.path,
        String(r.requests),
        ms(r.latency.p50),
        ms(r.latency.p95),
        ms(r.latency.p99),
        pct(r.failed),
        base ? ratio(r.latency.p50, base.latency.p50) : "",
        base ? ratio(r.latency.p95, base.latency.p95) : "",
        base ? ratio(r.latency.p99, base.latency.p99) : "",
      ];
    }),
  );
}
