import type { EnsemblePlan } from "@llm-pool/core";
import { splitDeadline, type DeadlineSplit, type LatencyTracker } from "@llm-pool/qos";
import { isExploring } from "./exploration.js";
import { isValid } from "./gather.js";
import type { GatherPolicy } from "./gathered-run.js";
import type { RunContext } from "./run-context.js";
import type { EnsembleSettings } from "./settings.js";

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

/**
 * The candidates' part: until the judge's window opens (see judgeWindow).
 * The track record says when each candidate usually answers (its usual
 * latency from its start); a candidate expected after the window opens
 * would lose anyway, so, as long as two are expected in time, it is not
 * called, and the judge starts as soon as two valid answers are in and every
 * candidate still running is expected late. That gives the judge more time
 * and frees the engine slots late candidates would hold. A candidate with
 * no record yet is expected in time; an exploring query (see isExploring)
 * calls and waits for everyone, so late candidates' records stay fresh.
 */
export function judgeCandidates(ctx: RunContext): GatherPolicy {
  const { plan } = ctx;
  const opensAt = plan.startedAt + ctx.judgeWindow().candidateMs;
  if (isExploring(plan.requestId, ctx.deps.exploration)) return { windowEndsAt: opensAt };
  const tracks = ctx.tracks();
  const expectedAt = (index: number, startedAt: number) => startedAt + (tracks[index]!.latencyMs ?? 0);
  const late = new Set(tracks.flatMap((_, i) => (expectedAt(i, plan.startedAt) > opensAt ? [i] : [])));
  const leaveOutLate = tracks.length - late.size >= 2;
  return {
    windowEndsAt: opensAt,
    ...(leaveOutLate ? { leaveOut: (i: number) => (late.has(i) ? "not called: expected after the judge's window" : undefined) } : {}),
    enough(finished, running) {
      if (finished.filter(isValid).length < 2) return false;
      const now = plan.clock.now();
      const done = new Set(finished.map((g) => g.index));
      const startedAt = new Map(running.map((r) => [r.index, r.startedAt]));
      return tracks.every((_, i) => done.has(i) || expectedAt(i, startedAt.get(i) ?? now) > opensAt);
    },
  };
}
