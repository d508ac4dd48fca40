import { PRIOR_WIN_RATE, type RunContext } from "./run-context.js";
import { quantizeScore } from "./score-order.js";
import { isExploring } from "./exploration.js";

/** A provider slower than the whole budget still keeps this much of its score, so weights rank the slow ones. */
export const MIN_SPEED = 0.05;

/**
 * WEIGHTED's score of each provider of the plan, by index (R-ENS-3):
 *
 *   score = weight × win-rate × validity × speed,  speed = max(0.05, 1 − latency / budget)
 *
 * weight: the task's config weight; win-rate: how often its answers won
 * content comparisons (VOTING, CONSENSUS, JUDGE); validity and latency: the
 * moving share of its calls that gave a valid answer and the moving mean of
 * their duration (its track record; an unseen provider has validity 1 and
 * speed 1); budget: this query's deadline budget. Every input is read once,
 * at the start of the run, so the scores are a function of the history then.
 */
export async function providerScores(ctx: RunContext): Promise<number[]> {
  const rates = await ctx.rates();
  const tracks = ctx.tracks();
  const budgetMs = Math.max(1, ctx.plan.deadline.at - ctx.plan.startedAt);
  return ctx.plan.providers.map((p, i) => {
    const track = tracks[i]!;
    const rate = rates.get(p.name) ?? PRIOR_WIN_RATE;
    return ctx.weightOf(p.name) * rate * track.validity * speedOf(track.latencyMs, budgetMs);
  });
}

export function speedOf(latencyMs: number | undefined, budgetMs: number): number {
  return latencyMs === undefined ? 1 : Math.max(MIN_SPEED, 1 - latencyMs / budgetMs);
}

/** Sort comparator over provider indexes: negative when `a` ranks before `b` (higher score, then earlier). */
export function ranksBefore(scores: readonly number[], a: number, b: number): number {
  return quantizeScore(scores[b]!) - quantizeScore(scores[a]!) || a - b;
}

/**
 * The provider an exploring query waits for, or undefined when this query
 * does not explore (see isExploring). It waits
 * for the rival (any provider but the best-scored, with a score above 0)
 * seen longest ago, so that a provider the best one always beats to the
 * finish, and whose calls are therefore always cancelled, still gets its
 * estimates refreshed and can win again once it has recovered.
 */
export function explorationTarget(ctx: RunContext, scores: readonly number[]): number | undefined {
  if (scores.length < 2 || !isExploring(ctx.plan.requestId, ctx.deps.exploration)) return undefined;
  const tracks = ctx.tracks();
  const [, ...rivals] = scores.map((_, i) => i).sort((a, b) => ranksBefore(scores, a, b));
  const lastNews = (i: number) => Math.max(tracks[i]!.seenAt, tracks[i]!.exploredAt);
  return rivals.filter((i) => scores[i]! > 0).sort((a, b) => lastNews(a) - lastNews(b) || a - b)[0];
}
