import type { ConfigSnapshot, TaskConfig } from "@llm-pool/config";

/** Where JUDGE's chain continues (`[judge] fallback`). */
export type JudgeFallback = "VOTING" | "WEIGHTED" | "FASTEST";

/**
 * The ensemble settings of one request, taken from the config snapshot the
 * request holds (so a reload mid-request changes nothing).
 */
export interface EnsembleSettings {
  /** `[ensemble] similarity_threshold`: two answers at least this similar are the same answer. */
  readonly similarityThreshold: number;
  /** `[ensemble] consensus_threshold`: CONSENSUS needs at least this agreement. */
  readonly consensusThreshold: number;
  /** `[qos] judge_share`: the part of the deadline JUDGE keeps for the verdict. */
  readonly judgeShare: number;
  /** `[judge] provider`: looked up by name through the ensemble's `judges` dependency. */
  readonly judgeProvider: string | null;
  /** `[judge] max_tokens`, never above 128. */
  readonly judgeMaxTokens: number;
  /** `[judge] fallback`: where the chain goes when a verdict is late or unusable. */
  readonly judgeFallback: JudgeFallback;
  /** The tenant's `max_parallel_providers`: engine calls of one request in flight at once. */
  readonly maxParallel: number;
  /** The task's `weights` (config weight per provider) for WEIGHTED; a missing provider weighs 1. */
  readonly weights: Readonly<Record<string, number>>;
  /** `[qos] hedge_mode`: FASTEST hedges at `hedge_after_ms`, or at the primary's observed percentile. */
  readonly hedgeMode: "fixed" | "adaptive";
  /** `[qos] hedge_percentile`, for adaptive hedging. */
  readonly hedgePercentile: number;
}

/** The config sections the ensemble settings come from: a snapshot's, or the schema's defaults. */
export type EnsembleSections = Pick<ConfigSnapshot, "qos" | "ensemble" | "judge">;

/**
 * The settings of one request from its config snapshot. `maxParallel` is the
 * tenant's `max_parallel_providers`; without a tenant every provider of the
 * task may run at once.
 */
export function ensembleSettingsFrom(
  config: ConfigSnapshot,
  task: TaskConfig,
  options: { readonly maxParallel?: number } = {},
): EnsembleSettings {
  return ensembleSettingsOf(config, options.maxParallel ?? task.providers.length + task.fallback_providers.length, task.weights);
}

/** The settings the config `sections` give, with `maxParallel` engine calls at once and the task's `weights`. */
export function ensembleSettingsOf(sections: EnsembleSections, maxParallel: number, weights: Readonly<Record<string, number>>): EnsembleSettings {
  return {
    similarityThreshold: sections.ensemble.similarity_threshold,
    consensusThreshold: sections.ensemble.consensus_threshold,
    judgeShare: sections.qos.judge_share,
    judgeProvider: sections.judge.provider,
    judgeMaxTokens: Math.min(128, sections.judge.max_tokens),
    judgeFallback: sections.judge.fallback,
    maxParallel: Math.max(1, maxParallel),
    weights,
    hedgeMode: sections.qos.hedge_mode,
    hedgePercentile: sections.qos.hedge_percentile,
  };
}
