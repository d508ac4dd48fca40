import { describe, expect, it } from "vitest";
import { gatewayBench } from "./gateway-bench.js";
import { formatGatewayTable } from "./gateway-report.js";

describe("the gateway bench", () => {
  it("measures four paths to one pool, each compared with its direct twin, with every request answered", async () => {
    const section = await gatewayBench({ requests: 12, concurrency: 2, engineLatencyMs: 1 });
    expect(section.rows.map((r) => [r.path, r.baseline, r.requests, r.failed])).toEqual([
      ["REST direct (mTLS)", undefined, 12, 0],
      ["REST via gateway", "REST direct (mTLS)", 12, 0],
      ["gRPC direct (mTLS)", undefined, 12, 0],
      ["gRPC via gateway", "gRPC direct (mTLS)", 12, 0],
    ]);
    for (const row of section.rows) expect(row.latency.p95).toBeGreaterThanOrEqual(row.latency.p50);
    const table = formatGatewayTable(section.rows).split("\n");
    expect(table[0]).toMatch(/^path\s+requests\s+p50\s+p95\s+p99\s+failed\s+p50 x\s+p95 x\s+p99 x$/);
    expect(table).toHaveLength(2 + 4);
  }, 120_000);
});
