import type { EnsemblePlan, EnsembleSettings } from "@llm-pool/core";
import { splitDeadline, type DeadlineSplit, type LatencyTracker } from "@llm-pool/qos";
import { isValid } from "./gather.js";
import type { GatherPolicy } from "./gathered-run.js";
import type { RunContext } from "./run-context.js";

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

/** Answers a verdict compares at the least. */
const BALLOT = 2;

/**
 * The candidates' part, until the judge's window opens (see judgeWindow).
 * The track record says when each candidate usually answers (its usual
 * latency from its start). JUDGE calls and waits for:
 *
 * - every candidate with no record yet, or only a stale one (that is how it
 *   gets a fresh one, so a candidate left out once is not left out for good);
 * - the two expected first, which make a ballot;
 * - any other expected early enough that the judge would still have twice
 *   its measured time after it: the rest is slack for the verdict's wait for
 *   a slot on a shared engine.
 *
 * The others are not called (recorded `cancelled`): each candidate waited
 * for delays the verdict and holds engine time the verdict will need. The
 * judge starts once every candidate waited for has finished (and two valid
 * answers are in), or when the window opens, with the answers in by then:
 * late ones lose. Who is waited for and when the window opens are fixed at
 * the start, from history, so which answers the judge sees is a matter of
 * which arrived before the window, never of their order.
 */
export function judgeCandidates(ctx: RunContext): GatherPolicy {
  const { plan } = ctx;
  const split = ctx.judgeWindow();
  const opensAt = plan.startedAt + split.candidateMs;
  const tracks = ctx.tracks();
  // A candidate with no usable record is waited for until the window: that is how it gets one.
  const usual = tracks.map((t) => (t.stale ? undefined : t.latencyMs));
  const waitedFor = new Set<number>(usual.flatMap((ms, i) => (ms === undefined ? [i] : [])));
  const known = usual.flatMap((ms, i) => (ms === undefined ? [] : [i])).sort((a, b) => usual[a]! - usual[b]! || a - b);
  const slackFrom = plan.deadline.at - 2 * split.judgeMs;
  for (const i of known) if (waitedFor.size < BALLOT || plan.startedAt + usual[i]! <= slackFrom) waitedFor.add(i);
  return {
    windowEndsAt: opensAt,
    leaveOut: (i) => (waitedFor.has(i) ? undefined : "not called: the judge has a ballot of answers expected earlier"),
    // Only the fixed window cuts a candidate waited for, so which answers the judge sees does not depend on their order.
    enough(finished) {
      const done = new Set(finished.map((g) => g.index));
      return finished.filter(isValid).length >= BALLOT && [...waitedFor].every((i) => done.has(i));
    },
  };
}
