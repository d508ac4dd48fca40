// The pool runs' printouts on made-up reports, never a measurement.
import { describe, expect, it } from "vitest";
import type { MemoryReport } from "./memory-bench.js";
import { formatMemoryDrift } from "./pool-run-report.js";

const drift = { early: 100 * 2 ** 20, late: 101 * 2 ** 20, ratio: 1.01 };
const memoryReport = (errors: number, errorsByStatus: Record<string, number>, unanswered: number): MemoryReport => ({
  requests: 1000,
  rate: 100,
  answered: 1000 - unanswered,
  errors,
  errorsByStatus,
  unanswered,
  samples: [],
  rss: drift,
  heap: drift,
  heapTotal: drift,
  external: drift,
});

describe("formatMemoryDrift: the memory soak's summary line", () => {
  it("says what the failed or unanswered requests were: statuses, failed exchanges, still unanswered", () => {
    const text = formatMemoryDrift(memoryReport(14, { "429": 10, failed: 1 }, 3));
    expect(text).toContain("answered 997, failed or unanswered 14 (429×10, unanswered×3, failed×1);");
  });

  it("a clean run stays 0", () => {
    expect(formatMemoryDrift(memoryReport(0, {}, 0))).toContain("failed or unanswered 0;");
  });

  it("bounds RSS and the heap in use; the committed heap and external memory only say where RSS went", () => {
    const rows = formatMemoryDrift(memoryReport(0, {}, 0)).split("\n");
    expect(rows.find((r) => r.startsWith("RSS "))).toMatch(/≤ 1\.05 +met$/);
    expect(rows.find((r) => r.startsWith("heap used "))).toMatch(/≤ 1\.05 +met$/);
    expect(rows.find((r) => r.startsWith("heap committed "))).toMatch(/ 1\.010 *$/);
    expect(rows.find((r) => r.startsWith("external "))).toMatch(/ 1\.010 *$/);
  });
});
