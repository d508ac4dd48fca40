import type { CandidateStatusName, EnsembleOutcome, FallbackReasonName, StrategyName } from "@llm-pool/core";
import { summarize, type LatencySummary } from "../stats.js";
import { alignTable, ms, pct, ratio } from "../table.js";

/** One query of a strategy run, as the bench saw it. */
export interface QueryResult {
  /** Scenario ms from the query's arrival to its answer or failure. */
  readonly latencyMs: number;
  /** The decision, when the query was answered. */
  readonly outcome?: EnsembleOutcome;
  /** The PoolError code when it was not (e.g. "deadline_exceeded", "unavailable"). */
  readonly failure?: string;
  readonly candidateCalls: number;
  readonly judgeCalls: number;
  /** Prompt + completion tokens the engines reported. */
  readonly candidateTokens: number;
  readonly judgeTokens: number;
}

/** One strategy's run, in counts (the tables turn them into shares and per-query means). */
export interface StrategyRow {
  readonly strategy: StrategyName;
  readonly queries: number;
  /** Answered queries at their latency, failed ones at the deadline. */
  readonly latency: LatencySummary;
  readonly answered: number;
  readonly failed: number;
  /** Failed with deadline_exceeded. */
  readonly timeouts: number;
  readonly candidateCalls: number;
  readonly judgeCalls: number;
  readonly candidateTokens: number;
  readonly judgeTokens: number;
  /** Answered queries by the strategy that decided them (after fallbacks). */
  readonly decidedBy: Readonly<Partial<Record<StrategyName, number>>>;
  /** Answered queries with at least one fallback. */
  readonly fellBack: number;
  /** Answered queries with at least one hand-over for the reason (a query may have several reasons). */
  readonly fallbacks: Readonly<Partial<Record<FallbackReasonName, number>>>;
  /** Queries that fell back with a candidate its engine refused (`saturated`): why a ballot or quorum was short. */
  readonly fellBackRefused: number;
  /** Queries that fell back with a candidate cut short (`timeout`) by its window or the deadline. */
  readonly fellBackCut: number;
  /** VOTING and CONSENSUS: queries decided by their early quorum (the calls still running were cancelled). */
  readonly earlyQuorum?: number;
  /** Breakers that opened; undefined when the run had none. */
  readonly breakerOpens?: number;
}

const QUORUM_STRATEGIES: readonly StrategyName[] = ["VOTING", "CONSENSUS"];

export function toStrategyRow(
  strategy: StrategyName,
  results: readonly QueryResult[],
  deadlineMs: number,
  breakerOpens?: number,
): StrategyRow {
  const answered = results.flatMap((r) => (r.outcome ? [r.outcome] : []));
  const decidedBy: Partial<Record<StrategyName, number>> = {};
  const fallbacks: Partial<Record<FallbackReasonName, number>> = {};
  const fellBack = answered.filter((o) => o.fallbacks.length > 0);
  const fellBackWith = (status: CandidateStatusName) => fellBack.filter((o) => o.candidates.some((c) => c.status === status)).length;
  for (const outcome of answered) {
    decidedBy[outcome.strategyApplied] = (decidedBy[outcome.strategyApplied] ?? 0) + 1;
    for (const reason of new Set(outcome.fallbacks.map((f) => f.reason))) fallbacks[reason] = (fallbacks[reason] ?? 0) + 1;
  }
  const sum = (pick: (r: QueryResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    strategy,
    queries: results.length,
    latency: summarize(results.map((r) => (r.outcome ? r.latencyMs : deadlineMs))),
    answered: answered.length,
    failed: results.length - answered.length,
    timeouts: results.filter((r) => r.failure === "deadline_exceeded").length,
    candidateCalls: sum((r) => r.candidateCalls),
    judgeCalls: sum((r) => r.judgeCalls),
    candidateTokens: sum((r) => r.candidateTokens),
    judgeTokens: sum((r) => r.judgeTokens),
    decidedBy,
    fellBack: fellBack.length,
    fallbacks,
    fellBackRefused: fellBackWith("saturated"),
    fellBackCut: fellBackWith("timeout"),
    ...(QUORUM_STRATEGIES.includes(strategy)
      ? { earlyQuorum: answered.filter((o) => decidedByEarlyQuorum(strategy, o)).length }
      : {}),
    ...(breakerOpens === undefined ? {} : { breakerOpens }),
  };
}

/** Decided by the strategy itself before every candidate had finished: the quorum cancelled the rest. */
function decidedByEarlyQuorum(strategy: StrategyName, outcome: EnsembleOutcome): boolean {
  return outcome.strategyApplied === strategy && outcome.candidates.some((c) => c.status === "cancelled");
}

const COST_COLUMNS = [
  "strategy", "p50", "p95", "p99", "failed", "timeouts", "calls/q", "tokens/q", "judge tok/q",
  "early quorum", "p50 x", "p95 x", "p99 x", "calls x", "tokens x",
];

/**
 * Latency and cost per strategy, with ratios to the first row (FASTEST):
 * calls and tokens per query count every engine call, the judge's included.
 * An "opens" column (breakers opened) is added when the run had breakers.
 */
export function formatCostTable(rows: readonly StrategyRow[]): string {
  const base = rows[0];
  if (!base) return "";
  const withBreakers = rows.some((r) => r.breakerOpens !== undefined);
  const perQuery = (r: StrategyRow, v: number) => v / Math.max(1, r.queries);
  const calls = (r: StrategyRow) => perQuery(r, r.candidateCalls + r.judgeCalls);
  const tokens = (r: StrategyRow) => perQuery(r, r.candidateTokens + r.judgeTokens);
  const cells = rows.map((r) => [
    r.strategy,
    ms(r.latency.p50),
    ms(r.latency.p95),
    ms(r.latency.p99),
    pct(r.failed / Math.max(1, r.queries)),
    pct(r.timeouts / Math.max(1, r.queries)),
    calls(r).toFixed(2),
    String(Math.round(tokens(r))),
    String(Math.round(perQuery(r, r.judgeTokens))),
    r.earlyQuorum === undefined ? "-" : pct(r.earlyQuorum / Math.max(1, r.queries)),
    ratio(r.latency.p50, base.latency.p50),
    ratio(r.latency.p95, base.latency.p95),
    ratio(r.latency.p99, base.latency.p99),
    ratio(calls(r), calls(base)),
    ratio(tokens(r), tokens(base)),
    ...(withBreakers ? [String(r.breakerOpens ?? 0)] : []),
  ]);
  return alignTable([...COST_COLUMNS, ...(withBreakers ? ["opens"] : [])], cells);
}

const FALLBACK_REASONS: readonly FallbackReasonName[] = [
  "judge_late", "verdict_unparsable", "judge_failed", "no_quorum", "below_threshold", "too_few_candidates",
  "all_candidates_invalid",
];

/**
 * How each strategy's queries were decided: the share that fell back, the
 * hand-overs by reason (only reasons that occurred), how many of the queries
 * that fell back had a candidate refused by its engine or cut short, and
 * which strategy answered in the end.
 */
export function formatDecisionTable(rows: readonly StrategyRow[]): string {
  if (rows.length === 0) return "";
  const reasons = FALLBACK_REASONS.filter((reason) => rows.some((r) => (r.fallbacks[reason] ?? 0) > 0));
  const cells = rows.map((r) => [
    r.strategy,
    pct(r.fellBack / Math.max(1, r.queries)),
    ...reasons.map((reason) => String(r.fallbacks[reason] ?? 0)),
    String(r.fellBackRefused),
    String(r.fellBackCut),
    decidedBySummary(r),
  ]);
  return alignTable(["strategy", "fell back", ...reasons, "refused", "cut", "decided by"], cells);
}

function decidedBySummary(r: StrategyRow): string {
  const parts = Object.entries(r.decidedBy)
    .sort(([, a], [, b]) => b - a)
    .map(([name, n]) => `${name} ${n}`);
  if (r.failed > 0) parts.push(`none ${r.failed}`);
  return parts.join(", ");
}
