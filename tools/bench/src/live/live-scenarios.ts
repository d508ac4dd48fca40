import type { Scenario } from "@llm-pool/mock-engine";

export interface LiveEngine {
  readonly name: string;
  /** The mock engine's scenario; the bench sets its seed and time_scale. */
  readonly scenario: Scenario;
}

export interface LiveScenario {
  readonly name: string;
  readonly description: string;
  readonly engines: readonly LiveEngine[];
  /** Hedge order; `model` is the name on its engine. */
  readonly providers: readonly { readonly name: string; readonly engine: string; readonly model: string }[];
  /** Chance, at each query's arrival, that the bench unloads this provider's model (if idle). */
  readonly evictions: Readonly<Record<string, number>>;
  readonly ratePerSecond: number;
  readonly deadlineMs: number;
}

const DEADLINE_MS = 1170;

/** As the simulator's slow-provider: phi3 answers slowly on 10% of calls (~1.1 s), llama on another engine is healthy. */
export const liveSlowProvider: LiveScenario = {
  name: "slow-provider",
  description: "phi3:mini (lognormal) on engine box-a answers slowly on 10% of calls (~1.1 s); llama3.1:8b (throughput) on box-b is healthy",
  engines: [
    {
      name: "box-a",
      scenario: {
        slots: 2,
        models: {
          "phi3:mini": {
            family: "phi3",
            latency: { kind: "lognormal", p50_ms: 300, p95_ms: 480, cold_load_ms: 1800 },
            answers: { mode: "echo-hash", words: 12 },
            faults: { probabilities: { slow_stream: 0.1 }, slow_token_ms: 90 },
          },
        },
      },
    },
    {
      name: "box-b",
      scenario: {
        slots: 2,
        models: {
          "llama3.1:8b": {
            family: "llama",
            latency: { kind: "throughput", tokens_per_s: 32, prompt_tokens_per_s: 450, cold_load_ms: 3500 },
            answers: { mode: "echo-hash", words: 12 },
          },
        },
      },
    },
  ],
  providers: [
    { name: "phi3", engine: "box-a", model: "phi3:mini" },
    { name: "llama", engine: "box-b", model: "llama3.1:8b" },
  ],
  evictions: {},
  ratePerSecond: 1,
  deadlineMs: DEADLINE_MS,
};

/** As the simulator's mac-mini: one engine, two models, phi3 unloaded before ~3% of queries. */
export const liveMacMini: LiveScenario = {
  name: "mac-mini",
  description: "one engine (2 slots) with phi3:mini then llama3.1:8b (kept warm); phi3 is unloaded before ~3% of queries (1.8 s cold load)",
  engines: [
    {
      name: "mac-mini",
      scenario: {
        slots: 2,
        models: {
          "phi3:mini": {
            family: "phi3",
            latency: { kind: "lognormal", p50_ms: 280, p95_ms: 520, cold_load_ms: 1800 },
            answers: { mode: "echo-hash", words: 12 },
          },
          "llama3.1:8b": {
            family: "llama",
            latency: { kind: "throughput", tokens_per_s: 28, prompt_tokens_per_s: 450, cold_load_ms: 3500 },
            answers: { mode: "echo-hash", words: 12 },
          },
        },
      },
    },
  ],
  providers: [
    { name: "phi3", engine: "mac-mini", model: "phi3:mini" },
    { name: "llama", engine: "mac-mini", model: "llama3.1:8b" },
  ],
  evictions: { phi3: 0.03 },
  ratePerSecond: 1,
  deadlineMs: DEADLINE_MS,
};

export const LIVE_SCENARIOS: readonly LiveScenario[] = [liveSlowProvider, liveMacMini];
