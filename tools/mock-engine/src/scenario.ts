// The scenario a mock engine plays: which models it serves, how fast, how they answer and how they fail.
// File format (JSON or TOML) uses snake_case; `validateScenario` turns it into a ResolvedScenario.

export const FAULT_KINDS = [
  "http_500",
  "http_429",
  "malformed_json",
  "truncated_body",
  "invalid_utf8",
  "hang",
  "reset",
  "slow_stream",
  "stream_error",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A script step: a fault to inject on that call, or "none" for a normal answer. */
export type ScriptStep = FaultKind | "none";

/** How long a request takes once it holds a slot. `cold_load_ms` is paid when the model is not resident. */
export type LatencySpec =
  | { kind: "fixed"; ms: number; cold_load_ms?: number }
  | { kind: "uniform"; min_ms: number; max_ms: number; cold_load_ms?: number }
  | { kind: "lognormal"; p50_ms: number; p95_ms: number; cold_load_ms?: number }
  | { kind: "throughput"; tokens_per_s: number; prompt_tokens_per_s: number; cold_load_ms?: number };

/** Optional condition on the prompt text (all prompt pieces joined by newlines). */
export interface AnswerMatch {
  contains?: string;
  regex?: string;
}

export type AnswerRule = { match?: AnswerMatch } & (
  | { mode: "echo-hash"; words?: number }
  | { mode: "text"; text: string }
  | { mode: "json"; json: unknown }
  | { mode: "invalid-json" }
);

export interface FaultSpec {
  /** Chance of each fault on a call that the script does not cover; the sum must not exceed 1. */
  probabilities?: Partial<Record<FaultKind, number>>;
  /** The next calls to this model, in order; probabilities apply once the script is used up. */
  script?: ScriptStep[];
  /** Retry-After (seconds) sent with http_429. Default 1. */
  retry_after_s?: number;
  /** Per-token delay of slow_stream, in ms. Default 250. */
  slow_token_ms?: number;
}

export interface ModelSpec {
  /** Models of the same family give the same echo-hash answers. Default: the model name. */
  family?: string;
  parameter_size?: string;
  quantization_level?: string;
  size_bytes?: number;
  context_length?: number;
  latency?: LatencySpec;
  /** One rule or an ordered list; the first whose `match` fits wins. Default: echo-hash. */
  answers?: AnswerRule | AnswerRule[];
  faults?: FaultSpec;
}

export interface Scenario {
  /** Seeds every random draw (latency samples, fault picks). Default 0. */
  seed?: number;
  /** Requests served at once by the whole engine; the rest queue in arrival order. Default 4. */
  slots?: number;
  /** Multiplies every scenario duration (latency, cold load, slow stream). Default 1. */
  time_scale?: number;
  /** Keep-alive of a model when a request names none (Ollama duration or seconds). Default "5m". */
  default_keep_alive?: string | number;
  models: Record<string, ModelSpec>;
}

export interface ResolvedFaults {
  probabilities: Array<[FaultKind, number]>;
  script: ScriptStep[];
  retryAfterS: number;
  slowTokenMs: number;
}

export interface ResolvedModel {
  name: string;
  family: string;
  parameterSize: string;
  quantizationLevel: string;
  sizeBytes: number;
  contextLength: number;
  latency: LatencySpec;
  answers: AnswerRule[];
  faults: ResolvedFaults;
}

export interface ResolvedScenario {
  seed: number;
  slots: number;
  timeScale: number;
  defaultKeepAliveMs: number;
  models: Map<string, ResolvedModel>;
}

/** Finds a model the way Ollama does: an untagged name means `:latest`. */
export function findModel(scenario: ResolvedScenario, name: string): ResolvedModel | undefined {
  return scenario.models.get(name) ?? (name.includes(":") ? undefined : scenario.models.get(`${name}:latest`));
}
