import type { EnsemblePlan, EnsembleSettings } from "@llm-pool/core";
import { splitDeadline, type DeadlineSplit, type LatencyTracker } from "@llm-pool/qos";

/** How the judge's own record plans its part of the deadline. */
export interface JudgeTiming {
  /** Recent verdict durations per (judge provider, task judged): ballot read plus a verdict of at most 128 tokens. */
  readonly verdicts: LatencyTracker;
  /** The part of the recent verdicts the plan must leave time for. Default 0.9. */
  readonly percentile?: number;
  /** Verdicts needed before they are trusted; until then the judge gets `judge_share`. Default 5. */
  readonly minSamples?: number;
}

/**
 * Splits the plan's budget between the candidates and the judge (R-QOS-2,
 * R-ENS-4) with the shared deadline split: the judge gets the time its
 * recent verdicts on this task took (their 90th percentile, queueing on its
 * engine included), or `judge_share` of the budget until it has a record.
 * The budget is what the orchestrator left after its margin, so no second
 * margin is taken here.
 */
export function judgeWindow(plan: EnsemblePlan, settings: EnsembleSettings, timing: JudgeTiming): DeadlineSplit {
  const totalMs = Math.max(0, plan.deadline.at - plan.startedAt);
  const judgeShare = Math.min(0.99, Math.max(0, settings.judgeShare));
  const needMs = judgeNeedMs(settings.judgeProvider, plan.task, timing);
  return splitDeadline({ totalMs, marginMs: 0, judgeShare, ...(needMs === undefined ? {} : { judgeNeedMs: needMs }) });
}

function judgeNeedMs(judge: string | null, task: string, timing: JudgeTiming): number | undefined {
  if (judge === null || timing.verdicts.count(judge, task) < (timing.minSamples ?? 5)) return undefined;
  return timing.verdicts.percentile(judge, task, timing.percentile ?? 0.9);
}
