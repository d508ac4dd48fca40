import { FakeClock } from "@llm-pool/core";
import { createMetrics } from "@llm-pool/telemetry";
import { describe, expect, it } from "vitest";
import { transportMetrics } from "./transport-metrics.js";

describe("transportMetrics", () => {
  it("counts every refusal by reason and logs at most one line per reason every 10 s, saying how many it held back", async () => {
    const clock = new FakeClock();
    const metrics = createMetrics({ defaultMetrics: false });
    const lines: Record<string, unknown>[] = [];
    const observer = transportMetrics(metrics.transport, { error() {}, warn: (fields) => void lines.push(fields) }, clock);

    for (let i = 0; i < 5; i++) observer.refused("max_connections", { remoteAddress: "10.0.0.1" });
    observer.refused("in_flight");
    await clock.advance(10_000);
    observer.refused("max_connections");

    const metric = await metrics.registry.getSingleMetricAsString("llmpool_transport_refused_total");
    expect(metric).toContain('llmpool_transport_refused_total{reason="max_connections"} 6');
    expect(metric).toContain('llmpool_transport_refused_total{reason="in_flight"} 1');
    expect(lines).toEqual([
      { reason: "max_connections", remoteAddress: "10.0.0.1", suppressed: 0 },
      { reason: "in_flight", suppressed: 0 },
      { reason: "max_connections", suppressed: 4 },
    ]);
  });
});
