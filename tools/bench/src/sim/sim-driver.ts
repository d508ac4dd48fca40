import type { OllamaProviderConfig, TaskName } from "@llm-pool/config";
import type { ProviderRequest, ProviderResult } from "@llm-pool/core";
import { ProviderError, type Driver, type DriversByKind } from "@llm-pool/providers";
import type { SimCall, SimEngine } from "./sim-engine.js";

/** The simulated machines the pool's providers reach, and the draws of every call. */
export interface SimWorld {
  /** The simulated engine a configured provider talks to. */
  engineOf(config: OllamaProviderConfig): SimEngine;
  /** The call `provider` makes for `prompt`, with its random draws; undefined when the world has none. */
  callOf(provider: string, prompt: string): SimCall | undefined;
  /** Hears every call that reaches an engine (the pool's own queue let it through). */
  onCall?(provider: string): void;
}

/** The answer every simulated call returns: valid JSON for any task. */
const ANSWER = '{"terms":["late night jazz"]}';

/**
 * A driver that talks to a simulated engine instead of an HTTP one: the pool's
 * own providers, engine queues, health and strategies run in front of it, on
 * the simulator's virtual clock. The call's timing is the one drawn for its
 * query, so every policy or hedging mode meets the same world.
 */
class SimDriver implements Driver {
  readonly driver = "ollama";
  readonly name: string;
  readonly model: string;
  readonly engine: string;
  readonly #config: OllamaProviderConfig;
  readonly #sim: SimEngine;
  readonly #world: SimWorld;

  constructor(config: OllamaProviderConfig, world: SimWorld) {
    this.#config = config;
    this.name = config.name;
    this.model = config.model;
    this.engine = config.engine;
    this.#sim = world.engineOf(config);
    this.#world = world;
  }

  supports(task: TaskName): boolean {
    return this.#config.tasks.includes(task);
  }

  isResident(): boolean {
    return this.#sim.isResident(this.model);
  }

  infer(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    const call = this.#world.callOf(this.name, request.prompt);
    if (!call) return Promise.reject(new ProviderError(this.name, "engine", `no draws for prompt ${request.prompt}`));
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      this.#world.onCall?.(this.name);
      const onAbort = () => {
        cancel();
        reject(signal.reason);
      };
      const cancel = this.#sim.submit(call, (outcome) => {
        signal.removeEventListener("abort", onAbort);
        if (outcome === "error") reject(new ProviderError(this.name, "http_status", "the engine answered HTTP 500", { status: 500 }));
        else resolve({ text: ANSWER, model: this.model, usage: { promptTokens: 12, completionTokens: 8 }, finishReason: "stop" });
      });
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** The simulated engine answers whole: its text goes to `onText` as one piece. */
  async inferStream(request: ProviderRequest, signal: AbortSignal, onText: (text: string) => void): Promise<ProviderResult> {
    const result = await this.infer(request, signal);
    onText(result.text);
    return result;
  }

  async probe(): Promise<void> {}
  async warmUp(): Promise<void> {}
  async close(): Promise<void> {}
}

/** Driver factories that build SimDrivers in `world` (every simulated provider is an Ollama one). */
export function simDrivers(world: SimWorld): Partial<DriversByKind> {
  return { ollama: (config) => new SimDriver(config, world) };
}
