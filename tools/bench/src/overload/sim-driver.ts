import type { OllamaProviderConfig, TaskName } from "@llm-pool/config";
import type { ProviderRequest, ProviderResult } from "@llm-pool/core";
import { ProviderError, type Driver, type DriversByKind } from "@llm-pool/providers";
import type { SimEngine } from "../sim/sim-engine.js";
import type { OverloadQuery } from "./overload-scenario.js";

/** The prompt of query `index`, as the bench sends it; the simulated engine reads its draws back from it. */
export function promptOf(query: OverloadQuery): string {
  return `query #${query.index}`;
}

/**
 * A driver that talks to a simulated engine instead of an HTTP one: the pool's
 * own PooledProvider, EngineQueue, health and strategies run in front of it,
 * on the simulator's virtual clock. The call's generation time is the one
 * drawn for its query, so every policy meets the same world.
 */
class SimDriver implements Driver {
  readonly driver = "ollama";
  readonly name: string;
  readonly model: string;
  readonly engine: string;
  readonly #config: OllamaProviderConfig;
  readonly #sim: SimEngine;
  readonly #queries: readonly OverloadQuery[];

  constructor(config: OllamaProviderConfig, sim: SimEngine, queries: readonly OverloadQuery[]) {
    this.#config = config;
    this.name = config.name;
    this.model = config.model;
    this.engine = config.engine;
    this.#sim = sim;
    this.#queries = queries;
  }

  supports(task: TaskName): boolean {
    return this.#config.tasks.includes(task);
  }

  isResident(): boolean {
    return this.#sim.isResident(this.model);
  }

  infer(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    const index = Number(/#(\d+)/.exec(request.prompt)?.[1]);
    const query = this.#queries[index];
    if (!query) return Promise.reject(new ProviderError(this.name, "engine", `no draws for prompt ${request.prompt}`));
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        cancel();
        reject(signal.reason);
      };
      const cancel = this.#sim.submit({ model: this.model, coldLoadMs: 0, workMs: query.workMs[this.name] ?? 400, stallMs: 0 }, (outcome) => {
        signal.removeEventListener("abort", onAbort);
        if (outcome === "error") reject(new ProviderError(this.name, "http_status", "the engine answered HTTP 500", { status: 500 }));
        else resolve({ text: '{"terms":["late night jazz"]}', model: this.model, usage: { promptTokens: 12, completionTokens: 8 }, finishReason: "stop" });
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

/** Driver factories that build SimDrivers on `sim` (every provider of the bench is an Ollama one). */
export function simDrivers(sim: SimEngine, queries: readonly OverloadQuery[]): Partial<DriversByKind> {
  return { ollama: (config) => new SimDriver(config, sim, queries) };
}
