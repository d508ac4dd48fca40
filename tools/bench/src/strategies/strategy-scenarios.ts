import type { AnswerRule, ModelSpec, Scenario } from "@llm-pool/mock-engine";

/** One of the three models of the Mac mini setup (configs/llm-pool.example.toml), as the bench plays it. */
export interface BenchModel {
  /** The provider's name in the bench config (as in the example config). */
  readonly provider: string;
  /** The model's name on the engine. */
  readonly model: string;
  /** Short name the query markers use. */
  readonly key: string;
  /** The provider's `weight` (WEIGHTED). */
  readonly weight: number;
  readonly spec: ModelSpec;
}

/**
 * The three models on one engine, in hedge order. phi3 is quick but stalls on
 * 5% of calls (tokens 120 ms apart: about 2.4 s for an answer); the two larger
 * ones read the prompt and generate at Apple-silicon-like rates, so their time
 * grows with the prompt (the judge reads every answer) and the answer.
 */
export const BENCH_MODELS: readonly BenchModel[] = [
  {
    provider: "ollama-phi3-mini",
    model: "phi3:mini",
    key: "phi3",
    weight: 0.6,
    spec: {
      latency: { kind: "lognormal", p50_ms: 320, p95_ms: 600, cold_load_ms: 1800 },
      faults: { probabilities: { slow_stream: 0.05 }, slow_token_ms: 120 },
    },
  },
  {
    provider: "ollama-llama31-8b",
    model: "llama3.1:8b",
    key: "llama",
    weight: 1,
    spec: { latency: { kind: "throughput", tokens_per_s: 28, prompt_tokens_per_s: 450, cold_load_ms: 3500 } },
  },
  {
    provider: "ollama-gemma2-9b",
    model: "gemma2:9b",
    key: "gemma",
    weight: 0.8,
    spec: { latency: { kind: "throughput", tokens_per_s: 20, prompt_tokens_per_s: 380, cold_load_ms: 4000 } },
  },
];

/** `[judge] provider`: the 8B all-rounder, as in the example config. */
export const JUDGE_PROVIDER = "ollama-llama31-8b";

/** Requests served at once by the one engine (`max_concurrency`, and the mock engine's slots). */
export const ENGINE_SLOTS = 2;

export interface StrategyScenario {
  readonly name: string;
  readonly description: string;
  /** True: the models' usual answers agree (one family); false: each model answers its own way. */
  readonly agree: boolean;
  /** Chance per query and model of a valid answer unlike every other model's. */
  readonly dissent: number;
  /** Chance per query that phi3 breaks the JSON format (an invalid candidate). */
  readonly invalid: number;
  /** Chance per query that the judge's reply is not a usable verdict. */
  readonly muddledVerdict: number;
  /** Poisson arrivals per scenario second. */
  readonly ratePerSecond: number;
}

export const mostlyAgree: StrategyScenario = {
  name: "models mostly agree",
  description: "the three models usually give the same answer; each dissents on 10% of queries; the judge always gives a valid verdict",
  agree: true,
  dissent: 0.1,
  invalid: 0,
  muddledVerdict: 0,
  ratePerSecond: 0.2,
};

export const disagree: StrategyScenario = {
  name: "models disagree",
  description: "every model answers its own way; phi3 breaks the JSON on 3% of queries; 5% of verdicts are unusable",
  agree: false,
  dissent: 0,
  invalid: 0.03,
  muddledVerdict: 0.05,
  ratePerSecond: 0.2,
};

export const STRATEGY_SCENARIOS: readonly StrategyScenario[] = [mostlyAgree, disagree];

/** What the bench decided about one query before it ran: the markers the mock engine reacts to. */
export interface QueryMarks {
  readonly dissent: readonly string[];
  readonly invalid: readonly string[];
  readonly muddledVerdict: boolean;
}

/**
 * The markers as text appended to the query's prompt. The mock engine's
 * answer rules match on them; the pool sees an ordinary prompt.
 */
export function markText(marks: QueryMarks): string {
  const parts = [
    ...(marks.dissent.length > 0 ? [`dissent: ${marks.dissent.join(" ")}`] : []),
    ...(marks.invalid.length > 0 ? [`broken: ${marks.invalid.join(" ")}`] : []),
    ...(marks.muddledVerdict ? ["verdict: muddled"] : []),
  ];
  return parts.length > 0 ? `(${parts.join("; ")})` : "";
}

// The judge's system instruction starts with this (libs/ensemble/src/judge-prompt.ts).
const JUDGE_MARK = "You referee answers";

/** The mock engine's scenario for one strategy's engine: the three models with the scenario's answer rules. */
export function engineScenario(scenario: StrategyScenario, seed: number, timeScale: number): Scenario {
  const models: Record<string, ModelSpec> = {};
  for (const m of BENCH_MODELS) {
    const judgeRules: AnswerRule[] =
      m.provider === JUDGE_PROVIDER
        ? [
            { mode: "invalid-json", match: { regex: `^${JUDGE_MARK}[\\s\\S]*verdict: muddled` } },
            {
              mode: "json",
              match: { regex: `^${JUDGE_MARK}` },
              json: { winner_id: "A", confidence: 0.8, reason: "closest to the seed terms" },
            },
          ]
        : [];
    models[m.model] = {
      ...m.spec,
      family: scenario.agree ? "mac-mini" : m.key,
      answers: [
        ...judgeRules,
        { mode: "invalid-json", match: { regex: `broken: [a-z ]*\\b${m.key}\\b` } },
        // Valid for the task's schema, and unlike the usual answer and every other model's.
        {
          mode: "json",
          match: { regex: `dissent: [a-z ]*\\b${m.key}\\b` },
          json: { must_include: ["{{model}} {{hash}}"], optional: ["{{hash}}"], negatives: ["{{model}}"] },
        },
        { mode: "echo-hash" },
      ],
    };
  }
  return { seed, slots: ENGINE_SLOTS, time_scale: timeScale, default_keep_alive: "30m", models };
}
