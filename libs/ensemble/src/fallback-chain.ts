import type { EnsembleOutcome, EnsembleSettings, FallbackRecord, JudgeRecord, StrategyName } from "@llm-pool/core";
import type { Comparison } from "./decision-step.js";
import { isValid, type Gathered } from "./gather.js";
import { assembleOutcome, clientCancellation, noAnswerError } from "./outcome.js";
import type { RunContext } from "./run-context.js";

const TAIL = ["VOTING", "WEIGHTED", "FASTEST"] as const satisfies readonly StrategyName[];

/**
 * The strategies tried in turn for a requested one (R-ENS-4):
 * JUDGE -> [judge] fallback (VOTING by default) -> ... -> FASTEST,
 * CONSENSUS -> VOTING -> WEIGHTED -> FASTEST, VOTING -> WEIGHTED -> FASTEST,
 * WEIGHTED -> FASTEST.
 */
export function chainFor(strategy: StrategyName, settings: EnsembleSettings): readonly StrategyName[] {
  switch (strategy) {
    case "JUDGE":
      return ["JUDGE", ...TAIL.slice(TAIL.indexOf(settings.judgeFallback))];
    case "CONSENSUS":
      return ["CONSENSUS", ...TAIL];
    case "VOTING":
      return TAIL;
    case "WEIGHTED":
      return ["WEIGHTED", "FASTEST"];
    case "FASTEST":
      return ["FASTEST"];
  }
}

/**
 * Decides over the candidates `strategy` gathered, walking its chain until a
 * step decides. Every hand-over is recorded with its reason. The steps reuse
 * the gathered candidates; only FASTEST, the last resort, may call engines
 * again, and only when no valid candidate exists.
 */
export async function decideWithFallbacks(
  ctx: RunContext,
  strategy: StrategyName,
  gathered: readonly Gathered[],
  hedges = 0,
): Promise<EnsembleOutcome> {
  const chain = chainFor(strategy, ctx.settings);
  const fallbacks: FallbackRecord[] = [];
  let judge: JudgeRecord | undefined;
  let agreement: number | undefined;
  for (const [i, name] of chain.entries()) {
    const cancelled = clientCancellation(ctx.plan);
    if (cancelled) throw cancelled;
    if (name === "FASTEST") return lastResort(ctx, gathered, { fallbacks, judge, agreement: agreement ?? 0, hedges });
    const result = await ctx.deps.steps[name](ctx, gathered);
    judge = result.judge ?? judge;
    agreement = result.agreement ?? agreement;
    if (result.kind === "decided") {
      if (result.comparison) recordComparison(ctx, gathered, result.comparison);
      return assembleOutcome({
        strategyApplied: name,
        winnerId: result.winnerId,
        gathered,
        scores: result.scores,
        fallbacks,
        judge,
        agreement: agreement ?? 0,
        hedges,
      });
    }
    fallbacks.push({ from: name, to: chain[i + 1]!, reason: result.reason, detail: result.detail });
  }
  throw new Error(`chain for ${strategy} does not end with FASTEST`);
}

interface Carried {
  readonly fallbacks: readonly FallbackRecord[];
  readonly judge: JudgeRecord | undefined;
  readonly agreement: number;
  /** Hedges the gathering made (a candidate called a second time). */
  readonly hedges: number;
}

/**
 * Feeds a content comparison to the win-rate history. Not awaited: a remote
 * store must not add its latency to the answer, nor its failure to the request.
 */
function recordComparison(ctx: RunContext, gathered: readonly Gathered[], comparison: Comparison): void {
  const providerOf = new Map(gathered.map((g) => [g.record.id, g.record.provider]));
  const names = (ids: readonly string[]) => ids.map((id) => providerOf.get(id)!);
  ctx.deps.winRates.record(ctx.plan.task, names(comparison.won), names(comparison.lost)).catch(ctx.deps.onError);
}

/**
 * FASTEST at the end of a chain: the valid candidate earliest in provider
 * order, the one FASTEST would have asked first (R-ENS-5: never the one that
 * happened to finish first). With none, FASTEST runs for real in what is
 * left of the deadline, over every provider of the plan; its calls replace
 * the first round's records of the same providers.
 */
async function lastResort(ctx: RunContext, gathered: readonly Gathered[], carried: Carried): Promise<EnsembleOutcome> {
  const first = gathered.filter(isValid).sort((a, b) => a.index - b.index)[0];
  if (first) {
    return assembleOutcome({
      strategyApplied: "FASTEST",
      winnerId: first.record.id,
      gathered,
      scores: new Map([[first.record.id, 1]]),
      ...carried,
    });
  }
  if (ctx.plan.deadline.signal.aborted || ctx.plan.providers.length === 0) {
    throw noAnswerError(ctx.plan, gathered.map((g) => g.record));
  }
  const retry = await ctx.deps.fastest.run(ctx.plan);
  const retried = new Set(retry.candidates.map((c) => c.id));
  const order = new Map(ctx.plan.providers.map((p, i) => [p.name, i]));
  const candidates = [...gathered.map((g) => g.record).filter((r) => !retried.has(r.id)), ...retry.candidates].sort(
    (a, b) => order.get(a.provider)! - order.get(b.provider)!,
  );
  return {
    ...retry,
    hedges: carried.hedges + retry.hedges,
    candidates,
    fallbacks: carried.fallbacks,
    ...(carried.judge ? { judge: carried.judge } : {}),
    agreement: carried.agreement,
  };
}
