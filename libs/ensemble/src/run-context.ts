import type { BreakerBoard, DeadlineSplit } from "@llm-pool/qos";
import type { EnsemblePlan, EnsembleSettings, Provider } from "@llm-pool/core";
import { memoizedPairScore, type PairScore } from "./clustering.js";
import type { StepTable } from "./decision-step.js";
import type { ExplorationPolicy } from "./exploration.js";
import { judgeWindow, type JudgeTiming } from "./judge-window.js";
import type { OutputValidator } from "./output-validator.js";
import { settingsOf } from "./settings.js";
import type { Similarity } from "./similarity.js";
import type { SimilarityChooser } from "./similarity/choose.js";
import type { Strategy } from "./strategy.js";
import type { Track, TrackRecord } from "./track-record.js";
import type { WinRateStore } from "./win-rate.js";

/** What the strategies share, resolved once by `createEnsemble`. */
export interface StrategyDeps {
  readonly validator: OutputValidator;
  readonly similarityFor: SimilarityChooser;
  readonly winRates: WinRateStore;
  /** Recent reliability and latency of each provider's calls, for WEIGHTED. */
  readonly track: TrackRecord;
  readonly exploration: ExplorationPolicy;
  /** The judge's recent verdict durations, which plan its window. */
  readonly judgeTiming: JudgeTiming;
  /** The judge provider by config name; undefined when it is not callable now. */
  readonly judges: (name: string) => Provider | undefined;
  /** Settings for plans that carry none (or only some). */
  readonly baseSettings: (plan: EnsemblePlan) => EnsembleSettings;
  readonly fastest: Strategy;
  readonly steps: StepTable;
  /** Circuit breakers per (provider, task), shared by every strategy; absent in unit tests. */
  readonly breakers?: BreakerBoard;
  /** Failures that must not fail a request (a win-rate store that is down). */
  readonly onError: (error: unknown) => void;
}

/** One run of one plan: its settings, its similarity and what is worth computing once. */
export interface RunContext {
  readonly plan: EnsemblePlan;
  readonly settings: EnsembleSettings;
  readonly deps: StrategyDeps;
  readonly similarity: Similarity;
  /** Pair scores, computed once per pair for this run. */
  readonly pairScore: PairScore;
  /** Win-rates of the plan's providers, read once per run; a store failure reads as the prior. */
  rates(): Promise<ReadonlyMap<string, number>>;
  /** Track records of the plan's providers (by index), read once per run so a decision sees one history. */
  tracks(): readonly Track[];
  /** JUDGE's split of the budget, planned once per run from the judge's record. */
  judgeWindow(): DeadlineSplit;
  /** The provider's config weight for this task. */
  weightOf(provider: string): number;
}

/** A provider with no win-rate history (or a store that failed) counts as 0.5. */
export const PRIOR_WIN_RATE = 0.5;

export function createRunContext(plan: EnsemblePlan, deps: StrategyDeps): RunContext {
  const settings = settingsOf(plan, deps.baseSettings(plan));
  const similarity = deps.similarityFor(plan.request.output);
  // History as of the start of the run: what this run's own calls teach counts from the next run on.
  const tracks = plan.providers.map((p) => deps.track.track(plan.task, p.name));
  const rates = deps.winRates
    .rates(
      plan.task,
      plan.providers.map((p) => p.name),
    )
    .catch((error: unknown) => {
      deps.onError(error);
      return new Map<string, number>();
    });
  let window: DeadlineSplit | undefined;
  return {
    plan,
    settings,
    deps,
    similarity,
    pairScore: memoizedPairScore(similarity),
    rates: () => rates,
    tracks: () => tracks,
    judgeWindow() {
      window ??= judgeWindow(plan, settings, deps.judgeTiming);
      return window;
    },
    weightOf: (provider) => settings.weights[provider] ?? 1,
  };
}
