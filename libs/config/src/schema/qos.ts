import * as z from "zod";
import { STRATEGIES } from "../names.js";
import { envName, intIn, numberIn } from "./common.js";

export const qosSchema = z.strictObject({
  max_deadline_ms: intIn(50, 120_000).default(1500),
  default_deadline_ms: intIn(50, 120_000).default(1200),
  max_prompt_bytes: intIn(1, 1024 * 1024).default(16_384),
  max_tokens_cap: intIn(1, 32_768).default(1024),
  default_max_tokens: intIn(1, 32_768).default(256),
  hedge_after_ms: intIn(0, 120_000).default(300),
  deadline_margin_ms: intIn(0, 10_000).default(30),
  judge_share: numberIn(0, 0.9).default(0.3),
  // Hedges may add at most this share of primary calls (plus a small burst).
  hedge_budget_share: numberIn(0, 1).default(0.15),
  // "fixed" hedges at hedge_after_ms; "adaptive" at the primary's observed p-th percentile for the task.
  hedge_mode: z.enum(["fixed", "adaptive"]).default("fixed"),
  hedge_percentile: numberIn(0.5, 0.99).default(0.9),
  // Learn each engine's concurrency from latency, between 1 and its max_concurrency (R-QOS-5).
  adaptive_concurrency: z.boolean().default(true),
});

export const ensembleSchema = z.strictObject({
  default_strategy: z.enum(STRATEGIES).default("FASTEST"),
  similarity_threshold: numberIn(0, 1).default(0.8),
  consensus_threshold: numberIn(0, 1).default(0.66),
  min_candidates: intIn(1, 16).default(2),
  // WEIGHTED's win-rate history: per process, or shared by replicas on Redis.
  win_rate_store: z.enum(["memory", "redis"]).default("memory"),
  win_rate_redis_url_env: envName().optional(),
  win_rate_half_life_ms: intIn(60_000, 30 * 86_400_000).default(3_600_000),
});

export const breakerSchema = z.strictObject({
  window_size: intIn(1, 10_000).default(50),
  failure_rate: z.number().gt(0).lt(1).default(0.1),
  min_calls: intIn(1, 10_000).default(10),
  // The first opening is short; each failed probe doubles it up to max_open_ms (closing resets it).
  open_ms: intIn(1000, 3_600_000).default(5_000),
  max_open_ms: intIn(1000, 3_600_000).default(300_000),
  half_open_probes: intIn(1, 100).default(1),
  // A timeout counts against a provider only when the engine had the call for this many times its
  // own typical time for such a call (R-QOS-4); 0 counts every timeout, queued or running (the old rule).
  slow_factor: numberIn(0, 100).default(2),
});

/** R-ENS-4: the chain after JUDGE is VOTING -> WEIGHTED -> FASTEST; the judge fallback picks where it starts. */
export const FALLBACK_STRATEGIES = ["VOTING", "WEIGHTED", "FASTEST"] as const;

export const judgeSchema = z.strictObject({
  provider: z.string().optional(),
  max_tokens: intIn(1, 128).default(128),
  fallback: z.enum(FALLBACK_STRATEGIES).default("VOTING"),
});
