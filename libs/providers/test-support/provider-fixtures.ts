// Test support for this package's specs (never built, never imported from src/): configs, the six
// tasks' synthetic answers for the mock engine, and the test models.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { parseConfig } from "@llm-pool/config";
import type {
  ConfigSnapshot,
  ProviderConfig,
  EmbeddedProviderConfig,
  HttpProviderConfig,
  OllamaProviderConfig,
  OpenAiProviderConfig,
  TaskName,
} from "@llm-pool/config";
import { systemClock, type Clock, type FakeClock, type ProviderRequest, type ProviderResult, type TextSink } from "@llm-pool/core";
import type { AnswerRule, Clock as EngineClock, Scenario } from "@llm-pool/mock-engine";
import { expect, vi } from "vitest";
import type { Driver, DriverContext, DriversByKind, ProviderEnv, ProviderLogger } from "../src/driver.js";
import { DEFAULT_DRIVERS } from "../src/drivers.js";
import { createEngineHttp, type EngineHttp } from "../src/engine-http.js";
import { EngineQueue } from "../src/engine-queue.js";
import { DEFAULT_HEALTH_POLICY } from "../src/health/health-policy.js";
import { HealthTracker } from "../src/health/health-tracker.js";
import { PooledProvider, type CallJudgement } from "../src/pooled-provider.js";
import { ProviderError, type ProviderErrorKind } from "../src/provider-error.js";
import { REPO_ROOT } from "./repo-root.js";

const ALL_TASKS: TaskName[] = ["expand_queries", "site_tactics", "rerank_candidates", "judge", "recovery_plan", "enrich_metadata"];

const base = {
  engine: "mock",
  max_concurrency: 4,
  tasks: ALL_TASKS,
  weight: 1,
  timeout_ms: null,
} as const;

export function ollamaConfig(url: string, overrides: Partial<OllamaProviderConfig> = {}): OllamaProviderConfig {
  return { ...base, name: "ollama-test", driver: "ollama", model: "phi3:mini", base_url: url, keep_alive: "30m", endpoint: "chat", ...overrides };
}

export function openAiConfig(url: string, overrides: Partial<OpenAiProviderConfig> = {}): OpenAiProviderConfig {
  return { ...base, name: "openai-test", driver: "openai", model: "qwen2.5:7b", base_url: url, api_key_env: null, endpoint: "chat", ...overrides };
}

/** An http provider that speaks to the mock's OpenAI chat route through a template. */
export function httpConfig(url: string, overrides: Partial<HttpProviderConfig> = {}): HttpProviderConfig {
  return {
    ...base,
    name: "http-test",
    driver: "http",
    model: "custom:latest",
    base_url: url,
    api_key_env: null,
    method: "POST",
    path: "/v1/chat/completions",
    headers: {},
    body_template: {
      model: "{{model}}",
      messages: [
        { role: "system", content: "{{system}}" },
        { role: "user", content: "{{prompt}}" },
      ],
      max_tokens: "{{max_tokens}}",
      temperature: "{{temperature}}",
      seed: "{{seed}}",
    },
    text_path: "choices[0].message.content",
    prompt_tokens_path: "usage.prompt_tokens",
    completion_tokens_path: "usage.completion_tokens",
    health_path: "/v1/models",
    ...overrides,
  };
}

export function embeddedConfig(modelPath: string, overrides: Partial<EmbeddedProviderConfig> = {}): EmbeddedProviderConfig {
  return {
    ...base,
    name: "embedded-test",
    driver: "embedded",
    model: "SmolLM2-135M-Instruct",
    engine: "embedded:embedded-test",
    repeat_penalty: 1,
    max_concurrency: 1,
    model_path: modelPath,
    threads: 1,
    context_size: 256,
    ...overrides,
  };
}

/** Collects log lines, so tests can prove no secret or prompt text is logged. */
export class LogRecorder implements ProviderLogger {
  readonly lines: string[] = [];
  debug(fields: Record<string, unknown>, message: string): void {
    this.lines.push(JSON.stringify({ level: "debug", message, ...fields }));
  }
  info(fields: Record<string, unknown>, message: string): void {
    this.lines.push(JSON.stringify({ level: "info", message, ...fields }));
  }
  warn(fields: Record<string, unknown>, message: string): void {
    this.lines.push(JSON.stringify({ level: "warn", message, ...fields }));
  }
}

/** A provider as the ProviderSet builds it (a PooledProvider): the driver behind a slot queue, with health and timeout. */
export function managed(
  config: ProviderConfig,
  clock: Clock = systemClock,
  context: Partial<DriverContext> = {},
  judgement?: () => CallJudgement,
): PooledProvider {
  const ctx = { ...driverContext({ clock }), ...context };
  const impl = DEFAULT_DRIVERS[config.driver](config as never, ctx);
  const queue = new EngineQueue({ name: config.engine, maxConcurrency: config.max_concurrency, clock });
  const health = new HealthTracker({ name: config.name, driver: config.driver, model: config.model }, clock, DEFAULT_HEALTH_POLICY);
  return new PooledProvider(config, impl, queue, health, clock, judgement);
}

/** The engine HTTP client the pool ships, shared by every driver a spec builds (idle sockets do not hold the process). */
export const specHttp: EngineHttp = createEngineHttp().send;

export function driverContext(options: { env?: ProviderEnv; clock?: Clock; logger?: ProviderLogger; http?: EngineHttp } = {}): DriverContext {
  return {
    env: options.env ?? {},
    clock: options.clock ?? systemClock,
    logger: options.logger ?? new LogRecorder(),
    http: options.http ?? specHttp,
  };
}

/** The mock engine's clock driven by a FakeClock, so the engine and the pool share one time. */
export function engineClock(clock: FakeClock): EngineClock {
  return {
    now: () => clock.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          cancel();
          reject(signal?.reason);
        };
        const cancel = clock.setTimer(ms, () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        });
        signal?.addEventListener("abort", onAbort, { once: true });
      }),
  };
}

/** Waits (polling real time, bounded) until `count` timers wait on the fake clock, e.g. an engine sleeping through a load. */
export function untilTimers(clock: FakeClock, count: number): Promise<void> {
  return vi.waitFor(() => {
    if (clock.pending < count) throw new Error(`${clock.pending} of ${count} timers waiting`);
  });
}

/** One request per task, each with the answer the mock engine gives it (matched by the task's marker in the prompt). */
export interface TaskCase {
  readonly request: ProviderRequest;
  readonly answer: unknown;
}

const schema = (properties: Record<string, unknown>) => ({ type: "object", properties, required: Object.keys(properties) });

export const TASK_CASES: Record<TaskName, TaskCase> = {
  expand_queries: {
    request: {
      task: "expand_queries",
      system: "Expand the search query into related queries. Answer in JSON.",
      prompt: "[expand_queries] query: late night jazz",
      maxTokens: 64,
      temperature: 0.3,
      seed: 42,
      output: { kind: "json" },
    },
    answer: { queries: ["late night jazz live", "jazz club sessions", "smooth jazz radio"] },
  },
  site_tactics: {
    request: {
      task: "site_tactics",
      system: "Suggest a tactic for collecting from the site.",
      prompt: "[site_tactics] site: example.org/videos",
      maxTokens: 128,
      temperature: 0.2,
      seed: 7,
      output: { kind: "json_schema", schema: schema({ tactic: { type: "string" }, priority: { type: "integer" } }) },
    },
    answer: { tactic: "follow the sitemap", priority: 2 },
  },
  rerank_candidates: {
    request: {
      task: "rerank_candidates",
      system: "Order the candidates from best to worst.",
      prompt: "[rerank_candidates] candidates: a, b, c",
      maxTokens: 32,
      temperature: 0,
      seed: 1,
      output: { kind: "json" },
    },
    answer: { ranking: [2, 0, 1] },
  },
  judge: {
    request: {
      task: "judge",
      system: "Pick the best candidate and say why in a few words.",
      prompt: "[judge] c1: sunrise; c2: sunset",
      maxTokens: 128,
      temperature: 0,
      seed: 3,
      output: { kind: "json_schema", schema: schema({ winner: { type: "string" }, confidence: { type: "number" }, reason: { type: "string" } }) },
    },
    answer: { winner: "c2", confidence: 0.8, reason: "warmer light" },
  },
  recovery_plan: {
    request: {
      task: "recovery_plan",
      system: "Plan the recovery of the broadcast.",
      prompt: "[recovery_plan] incident: encoder stalled",
      maxTokens: 96,
      temperature: 0.3,
      seed: 11,
      output: { kind: "json" },
    },
    answer: { steps: ["restart the encoder", "switch to the backup stream"] },
  },
  enrich_metadata: {
    request: {
      task: "enrich_metadata",
      system: "Write a one-line description.",
      prompt: "[enrich_metadata] title: Harbor at dawn",
      maxTokens: 48,
      temperature: 0.5,
      output: { kind: "text" },
    },
    answer: "A quiet harbor wakes as fishing boats leave at first light.",
  },
};

/** Answer rules giving each task's synthetic answer. */
export function taskAnswerRules(): AnswerRule[] {
  return ALL_TASKS.map((task): AnswerRule => {
    const answer = TASK_CASES[task].answer;
    return typeof answer === "string"
      ? { match: { contains: `[${task}]` }, mode: "text", text: answer }
      : { match: { contains: `[${task}]` }, mode: "json", json: answer };
  });
}

/** A mock engine with the models the specs use: answering ones, and one per fault. */
export function contractScenario(): Scenario {
  const answering = { latency: { kind: "fixed", ms: 1 } as const, answers: taskAnswerRules() };
  return {
    seed: 1,
    slots: 8,
    models: {
      "phi3:mini": answering,
      "qwen2.5:7b": answering,
      "custom:latest": answering,
      "e500:latest": { faults: { script: ["http_500"] } },
      "e429:latest": { faults: { script: ["http_429"], retry_after_s: 3 } },
      "malformed:latest": { latency: { kind: "fixed", ms: 1 }, faults: { script: ["malformed_json"] } },
      "truncated:latest": { latency: { kind: "fixed", ms: 1 }, faults: { script: ["truncated_body"] } },
      "utf8:latest": { latency: { kind: "fixed", ms: 1 }, faults: { script: ["invalid_utf8"] } },
      "reset:latest": { faults: { script: ["reset"] } },
      "hang:latest": { faults: { script: ["hang", "hang"] } },
      // Holds a slot for a minute: a call still generating when it is cancelled.
      "slow:latest": { latency: { kind: "fixed", ms: 60_000 }, answers: taskAnswerRules() },
    },
  };
}

/** Asserts a rejection is a ProviderError of `kind` and returns it. */
export async function providerError(promise: Promise<unknown>, kind: ProviderErrorKind): Promise<ProviderError> {
  const reason = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(reason).toBeInstanceOf(ProviderError);
  expect((reason as ProviderError).kind).toBe(kind);
  return reason as ProviderError;
}

/**
 * A driver whose behaviour a test scripts through its `on*` handlers (all succeed by default).
 * Every call is written to a log shared by the drivers of one ScriptedDrivers, as "name:event".
 */
export class ScriptedDriver implements Driver {
  readonly driver: string;
  readonly name: string;
  readonly model: string;
  readonly engine: string;
  readonly #config: ProviderConfig;
  readonly #log: string[];
  onProbe: (signal: AbortSignal) => Promise<void> = async () => {};
  onInfer: (request: ProviderRequest, signal: AbortSignal) => Promise<ProviderResult> = async () => ({
    text: "ok",
    model: this.model,
    usage: { promptTokens: 1, completionTokens: 1 },
    finishReason: "stop",
  });
  onWarmUp: (signal: AbortSignal) => Promise<void> = async () => {};
  probes = 0;
  closed = 0;

  constructor(config: ProviderConfig, log: string[]) {
    this.#config = config;
    this.#log = log;
    this.driver = config.driver;
    this.name = config.name;
    this.model = config.model;
    this.engine = config.engine;
  }

  supports(task: TaskName): boolean {
    return this.#config.tasks.includes(task);
  }

  infer(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    this.#log.push(`${this.name}:infer`);
    return this.onInfer(request, signal);
  }

  /** Streams the scripted answer as one piece. */
  async inferStream(request: ProviderRequest, signal: AbortSignal, onText: TextSink): Promise<ProviderResult> {
    this.#log.push(`${this.name}:infer-stream`);
    const result = await this.onInfer(request, signal);
    onText(result.text);
    return result;
  }

  probe(signal: AbortSignal): Promise<void> {
    this.probes++;
    this.#log.push(`${this.name}:probe`);
    return this.onProbe(signal);
  }

  async warmUp(signal: AbortSignal): Promise<void> {
    this.#log.push(`${this.name}:warm-up:start`);
    await this.onWarmUp(signal);
    this.#log.push(`${this.name}:warm-up:end`);
  }

  async close(): Promise<void> {
    this.closed++;
    this.#log.push(`${this.name}:close`);
  }
}

/** Driver factories that build ScriptedDrivers, keeping the latest one per provider name. */
export class ScriptedDrivers {
  readonly built = new Map<string, ScriptedDriver>();
  readonly log: string[] = [];

  table(): DriversByKind {
    const build = (config: ProviderConfig): Driver => {
      const driver = new ScriptedDriver(config, this.log);
      this.built.set(config.name, driver);
      return driver;
    };
    return { ollama: build, openai: build, http: build, embedded: build };
  }

  get(name: string): ScriptedDriver {
    const driver = this.built.get(name);
    if (!driver) throw new Error(`no driver built for ${name}`);
    return driver;
  }
}

/** A full snapshot from TOML text, with the tenancy every test config needs appended. */
export function snapshotOf(toml: string, env: ProviderEnv = {}): Promise<ConfigSnapshot> {
  return parseConfig(`${toml}\n[tenancy]\nauth = "none"\nallow_unauthenticated = true\n`, { baseDir: REPO_ROOT, env });
}
