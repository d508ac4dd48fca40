import { LatencyTracker, type BreakerBoard, type HedgeBudget } from "@llm-pool/qos";
import {
  Code,
  PoolError,
  systemClock,
  type Clock,
  type Ensemble,
  type EnsembleObserver,
  type EnsembleOutcome,
  type EnsemblePlan,
  type EnsembleSettings,
  type Provider,
  type StrategyName,
} from "@llm-pool/core";
import { refusalBeforeRun } from "./admission.js";
import { consensusStep, createConsensus } from "./consensus.js";
import type { StepTable } from "./decision-step.js";
import { DEFAULT_EXPLORATION, type ExplorationPolicy } from "./exploration.js";
import { createFastest } from "./fastest.js";
import { createJudge, judgeStep } from "./judge.js";
import { createOutputValidator, type OutputValidator } from "./output-validator.js";
import type { StrategyDeps } from "./run-context.js";
import { DEFAULT_ENSEMBLE_SETTINGS } from "./settings.js";
import { createSimilarityChooser, type SimilarityChooser } from "./similarity/choose.js";
import type { Strategy } from "./strategy.js";
import { TrackRecord } from "./track-record.js";
import { createVoting, votingStep } from "./voting.js";
import { createWeighted, weightedStep } from "./weighted.js";
import { MemoryWinRateStore } from "./win-rate/memory.js";
import type { WinRateStore } from "./win-rate.js";

/** What the composition root hands the ensemble. Every field has a working default. */
export interface EnsembleDeps {
  /** Checks candidates against the task's output (R-ENS-6). Default: Ajv-backed. */
  readonly validator?: OutputValidator;
  /** Picks the similarity for an output format. Default: canonical JSON / text blend. */
  readonly similarity?: SimilarityChooser;
  /** Win-rate history for WEIGHTED, fed by content comparisons. Default: in memory, 1 h half-life. */
  readonly winRates?: WinRateStore;
  /** Recent validity and latency of each provider's calls, for WEIGHTED. Default: a new one. */
  readonly track?: TrackRecord;
  /** WEIGHTED's exploring queries. Default: one in 20, waiting for a rival at most half the budget. */
  readonly exploration?: Partial<ExplorationPolicy>;
  /** Recent verdict durations, which plan JUDGE's window. Default: a new tracker of 64 per (judge, task). */
  readonly judgeVerdicts?: LatencyTracker;
  /** The judge provider by `[judge] provider` name. Default: none (JUDGE falls back). */
  readonly judges?: (name: string) => Provider | undefined;
  /** Settings for plans that do not carry them in `ensemble`. */
  readonly settings?: (plan: EnsemblePlan) => EnsembleSettings;
  /** Clock of the default win-rate store. */
  readonly clock?: Clock;
  /** Failures that must not fail a request, such as a win-rate store that is down. */
  readonly onError?: (error: unknown) => void;
  /** Circuit breakers per (provider, task), for every strategy (R-QOS-1). Default: none. */
  readonly breakers?: BreakerBoard;
  /** FASTEST's hedge budget. Default: none (hedges limited only by the providers). */
  readonly hedgeBudget?: HedgeBudget;
  /** Recent latencies per (provider, task), for adaptive hedging. Default: none (fixed hedging). */
  readonly latency?: LatencyTracker;
  /** Hears every provider call and every decision (metrics, trace spans; R-OBS-1, R-OBS-3). Default: none. */
  readonly observer?: EnsembleObserver;
}

/** Decision steps the fallback chains walk; a new strategy adds its step here and itself below. */
const STEPS: StepTable = { JUDGE: judgeStep, CONSENSUS: consensusStep, VOTING: votingStep, WEIGHTED: weightedStep };

function strategiesOf(deps: StrategyDeps): readonly Strategy[] {
  return [deps.fastest, createVoting(deps), createConsensus(deps), createWeighted(deps), createJudge(deps)];
}

/**
 * An Ensemble that runs each plan with the strategy it names. The decisions
 * feed the histories themselves: content comparisons the win-rates, the
 * gathering strategies' calls the track record, verdicts the judge's timing.
 */
export function createEnsemble(deps: EnsembleDeps = {}): Ensemble {
  const resolved = resolveDeps(deps);
  const byName = new Map<StrategyName, Strategy>(strategiesOf(resolved).map((s) => [s.name, s]));
  return {
    run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
      const strategy = byName.get(plan.strategy);
      if (!strategy) {
        return Promise.reject(
          new PoolError(Code.InvalidArgument, `strategy: ${plan.strategy} is not available in this build`, {
            field: "strategy",
          }),
        );
      }
      // Refused before the strategy when no provider can answer in time: cheap, and the same 429 (R-QOS-5).
      const refused = refusalBeforeRun(plan, deps.breakers);
      if (refused) return Promise.reject(refused);
      const observer = deps.observer;
      if (!observer) return strategy.run(plan);
      const observed: EnsemblePlan = { ...plan, observer };
      return strategy.run(observed).then((outcome) => {
        try {
          observer.decided(observed, outcome);
        } catch (error) {
          resolved.onError(error);
        }
        return outcome;
      });
    },
  };
}

/** Every dependency with its default filled in, as the strategies get them. */
export function resolveDeps(deps: EnsembleDeps = {}): StrategyDeps {
  const validator = deps.validator ?? createOutputValidator();
  return {
    validator,
    similarityFor: deps.similarity ?? createSimilarityChooser(),
    winRates: deps.winRates ?? new MemoryWinRateStore({ clock: deps.clock ?? systemClock }),
    track: deps.track ?? new TrackRecord(),
    exploration: { ...DEFAULT_EXPLORATION, ...deps.exploration },
    judgeTiming: { verdicts: deps.judgeVerdicts ?? new LatencyTracker({ size: 64 }) },
    judges: deps.judges ?? (() => undefined),
    baseSettings: deps.settings ?? (() => DEFAULT_ENSEMBLE_SETTINGS),
    fastest: createFastest({
      validator,
      ...(deps.breakers ? { breakers: deps.breakers } : {}),
      ...(deps.hedgeBudget ? { budget: deps.hedgeBudget } : {}),
      ...(deps.latency ? { latency: deps.latency } : {}),
    }),
    ...(deps.breakers ? { breakers: deps.breakers } : {}),
    steps: STEPS,
    onError: deps.onError ?? (() => {}),
  };
}

export function implementedStrategies(): readonly StrategyName[] {
  return ["FASTEST", "VOTING", "CONSENSUS", "WEIGHTED", "JUDGE"];
}
