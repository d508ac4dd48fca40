import { describe, expect, it } from "vitest";
import { metricValues } from "./metrics-text.js";

const exposition = `# HELP llmpool_breaker_open_total Breakers opened.
# TYPE llmpool_breaker_open_total counter
llmpool_breaker_open_total{provider="a",task="t"} 2
llmpool_breaker_open_total{provider="b",task="t"} 3
llmpool_breaker_open_total_created 1700000000
llmpool_process_nodejs_heap_size_used_bytes 52428800
`;

describe("metricValues: a metric's samples in the pool's /metrics text", () => {
  it("reads every labelled sample of the metric, and an unlabelled gauge, never a metric whose name only starts the same", () => {
    expect(metricValues(exposition, "llmpool_breaker_open_total")).toEqual([2, 3]);
    expect(metricValues(exposition, "llmpool_process_nodejs_heap_size_used_bytes")).toEqual([52428800]);
  });

  it("is empty for a metric the exposition does not have", () => {
    expect(metricValues(exposition, "llmpool_process_nodejs_external_memory_bytes")).toEqual([]);
  });
});
