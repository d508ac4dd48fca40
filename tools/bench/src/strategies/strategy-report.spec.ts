import type { CandidateRecord, EnsembleOutcome, FallbackRecord, StrategyName } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { formatCostTable, formatDecisionTable, toStrategyRow, type QueryResult } from "./strategy-report.js";

const candidate = (id: string, status: CandidateRecord["status"]): CandidateRecord => ({
  id,
  provider: `p-${id}`,
  model: "m",
  latencyMs: 100,
  status,
  score: 0,
  hedged: false,
});

const outcome = (
  strategyApplied: StrategyName,
  fallbacks: readonly Pick<FallbackRecord, "reason">[] = [],
  statuses: readonly CandidateRecord["status"][] = ["ok"],
): EnsembleOutcome => ({
  strategyApplied,
  output: "{}",
  winnerId: "c1",
  candidates: statuses.map((s, i) => candidate(`c${i + 1}`, s)),
  fallbacks: fallbacks.map((f) => ({ from: "VOTING", to: "WEIGHTED", detail: "", ...f })),
  agreement: 0,
  hedges: 0,
});

const answered = (latencyMs: number, o: EnsembleOutcome, calls = 3, judge = 0): QueryResult => ({
  latencyMs,
  outcome: o,
  candidateCalls: calls,
  judgeCalls: judge,
  candidateTokens: calls * 100,
  judgeTokens: judge * 50,
});

const failed = (failure: string): QueryResult => ({
  latencyMs: 500,
  failure,
  candidateCalls: 3,
  judgeCalls: 0,
  candidateTokens: 0,
  judgeTokens: 0,
});

describe("toStrategyRow", () => {
  const results: QueryResult[] = [
    answered(900, outcome("VOTING", [], ["ok", "ok", "cancelled"])),
    answered(1500, outcome("VOTING", [], ["ok", "ok", "ok"])),
    answered(1800, outcome("WEIGHTED", [{ reason: "no_quorum" }])),
    answered(1700, outcome("FASTEST", [{ reason: "too_few_candidates" }, { reason: "too_few_candidates" }], ["ok", "saturated", "timeout"])),
    answered(1200, outcome("VOTING", [], ["ok", "ok", "timeout"])),
    failed("deadline_exceeded"),
    failed("unavailable"),
  ];
  const row = toStrategyRow("VOTING", results, 4000);

  it("splits the queries into answered, failed and timed out", () => {
    expect(row.queries).toBe(7);
    expect(row.answered + row.failed).toBe(row.queries);
    expect(row.failed).toBe(2);
    expect(row.timeouts).toBe(1);
  });

  it("counts who decided each answered query, and queries (not hand-overs) per fallback reason", () => {
    expect(row.decidedBy).toEqual({ VOTING: 3, WEIGHTED: 1, FASTEST: 1 });
    expect(Object.values(row.decidedBy).reduce((a, b) => a + b, 0)).toBe(row.answered);
    expect(row.fellBack).toBe(2);
    expect(row.fallbacks).toEqual({ no_quorum: 1, too_few_candidates: 1 });
  });

  it("counts the queries that fell back with a candidate refused by its engine, or cut short, to say why the strategy was short of answers", () => {
    expect([row.fellBackRefused, row.fellBackCut]).toEqual([1, 1]);
  });

  it("counts an early quorum only when the strategy itself decided and cancelled a candidate", () => {
    expect(row.earlyQuorum).toBe(1);
    expect(toStrategyRow("WEIGHTED", results, 4000).earlyQuorum).toBeUndefined();
  });

  it("sums calls and tokens, failed queries included, and puts failed queries at the deadline", () => {
    expect(row.candidateCalls).toBe(21);
    expect(row.candidateTokens).toBe(1500);
    expect(row.latency.p99).toBe(4000);
  });

  it("reports breaker opens only for runs with breakers", () => {
    expect(row.breakerOpens).toBeUndefined();
    expect(toStrategyRow("VOTING", results, 4000, 2).breakerOpens).toBe(2);
  });
});

describe("the strategy tables", () => {
  const rows = [
    toStrategyRow("FASTEST", [answered(300, outcome("FASTEST"), 1), answered(400, outcome("FASTEST"), 2)], 4000),
    toStrategyRow("JUDGE", [answered(3000, outcome("JUDGE"), 3, 1), answered(3900, outcome("VOTING", [{ reason: "judge_late" }]), 3, 1)], 4000),
  ];

  it("prints one aligned cost line per strategy with ratios to FASTEST", () => {
    const lines = formatCostTable(rows).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^strategy\s+p50\s+p95\s+p99\s+failed\s+timeouts\s+calls\/q\s+tokens\/q\s+judge tok\/q\s+early quorum\s+p50 x/);
    expect(lines[2]).toMatch(/^FASTEST\s+300\s+400\s+400\s+0\.0%\s+0\.0%\s+1\.50\s+150\s+0\s+-\s+1\.00/);
    expect(lines[3]).toMatch(/^JUDGE\s+3000\s+3900\s+3900\s+0\.0%\s+0\.0%\s+4\.00\s+350\s+50\s+-\s+10\.00\s+9\.75\s+9\.75\s+2\.67\s+2\.33$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it("adds an opens column when the run had breakers", () => {
    const withBreakers = [toStrategyRow("FASTEST", [answered(300, outcome("FASTEST"), 1)], 4000, 1)];
    expect(formatCostTable(withBreakers).split("\n")[0]).toMatch(/\s+opens$/);
  });

  it("lists only the fallback reasons that occurred, and who decided", () => {
    const lines = formatDecisionTable(rows).split("\n");
    expect(lines[0]).toMatch(/^strategy\s+fell back\s+judge_late\s+refused\s+cut\s+decided by$/);
    expect(lines[2]).toMatch(/^FASTEST\s+0\.0%\s+0\s+0\s+0\s+FASTEST 2$/);
    expect(lines[3]).toMatch(/^JUDGE\s+50\.0%\s+1\s+0\s+0\s+JUDGE 1, VOTING 1$/);
  });

  it("prints nothing without rows", () => {
    expect(formatCostTable([])).toBe("");
    expect(formatDecisionTable([])).toBe("");
  });
});
