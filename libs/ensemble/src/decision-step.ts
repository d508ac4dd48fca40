import type { FallbackReasonName, JudgeRecord, StrategyName, Usage } from "@llm-pool/core";
import { isValid, type Gathered, type ValidCandidate } from "./gather.js";
import type { RunContext } from "./run-context.js";

/**
 * What a step learned by comparing answers' content, by candidate id: the
 * win-rate history counts only this (R-ENS-3). A step that picks without
 * comparing answers (WEIGHTED by score, FASTEST by time) has none.
 */
export interface Comparison {
  /** Candidates whose answer was chosen (VOTING: the whole winning cluster). */
  readonly won: readonly string[];
  /** Valid candidates whose answer was compared and judged worse. */
  readonly lost: readonly string[];
}

export interface StepDecision {
  readonly kind: "decided";
  readonly winnerId: string;
  /** Score of each valid candidate under this step's rule; the others score 0. */
  readonly scores: ReadonlyMap<string, number>;
  readonly agreement?: number;
  readonly judge?: JudgeRecord;
  readonly comparison?: Comparison;
}

export interface StepFallback {
  readonly kind: "fallback";
  readonly reason: FallbackReasonName;
  readonly detail: string;
  readonly agreement?: number;
  readonly judge?: JudgeRecord;
}

export type StepResult = StepDecision | StepFallback;

/**
 * One strategy's decision over candidates already gathered. Steps make no
 * engine calls (JUDGE's verdict call aside), so a fallback reuses what the
 * first strategy gathered.
 */
export type DecisionStep = (ctx: RunContext, gathered: readonly Gathered[]) => Promise<StepResult> | StepResult;

/** The decision steps by strategy; FASTEST is the chain's own last resort. */
export type StepTable = Readonly<Record<Exclude<StrategyName, "FASTEST">, DecisionStep>>;

/**
 * The valid candidates, or the fallback to take when there are fewer than
 * `min`: all_candidates_invalid when none is valid, too_few_candidates else.
 */
export function validOrFallback(
  gathered: readonly Gathered[],
  min: number,
): { readonly valid: readonly ValidCandidate[] } | StepFallback {
  const valid = gathered.filter(isValid);
  if (valid.length === 0) {
    return {
      kind: "fallback",
      reason: "all_candidates_invalid",
      detail: gathered.length === 0 ? "no candidate was called" : `no valid candidate among ${gathered.length}`,
    };
  }
  if (valid.length < min) {
    const detail = `${valid.length} valid candidate(s), ${min} needed`;
    return { kind: "fallback", reason: "too_few_candidates", detail };
  }
  return { valid };
}
