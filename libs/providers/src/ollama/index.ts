import type { OllamaProviderConfig, TaskName } from "@llm-pool/config";
import type { ProviderResult, TextSink } from "@llm-pool/core";
import type { DeadlineAwareRequest, Driver, DriverContext } from "../driver.js";
import { joinUrl, requestJson, type EngineCaller } from "../engine-request.js";
import { runOperation, runStreamOperation, type Operation, type OperationCall } from "../operation.js";
import { ProviderError } from "../provider-error.js";
import { ResidencyView } from "../residency-view.js";
import { ollamaTimings } from "./api.js";
import { chat } from "./chat.js";
import { generate } from "./generate.js";
import { keepAliveMs, ollamaKeepAlive } from "./keep-alive.js";
import { listsModel, residentUntil } from "./model-list.js";

export type OllamaEndpoint = "chat" | "generate";

/** The provider's config; `endpoint` picks `/api/chat` or `/api/generate`. */
export type OllamaDriverConfig = OllamaProviderConfig & { readonly endpoint?: OllamaEndpoint };

const operations: Record<OllamaEndpoint, Operation<OllamaProviderConfig>> = { chat, generate };

/** A model on an Ollama server, through its native API (R-PRV-2). */
export class OllamaDriver implements Driver {
  readonly driver = "ollama";
  readonly name: string;
  readonly model: string;
  readonly engine: string;
  readonly #config: OllamaDriverConfig;
  readonly #context: DriverContext;
  readonly #caller: EngineCaller;
  readonly #call: OperationCall<OllamaProviderConfig>;
  readonly #operation: Operation<OllamaProviderConfig>;
  readonly #residency: ResidencyView;
  readonly #keepAliveMs: number;

  constructor(config: OllamaDriverConfig, context: DriverContext) {
    this.name = config.name;
    this.model = config.model;
    this.engine = config.engine;
    this.#config = config;
    this.#context = context;
    this.#caller = { provider: config.name, http: context.http, now: () => context.clock.now() };
    this.#call = { caller: this.#caller, baseUrl: config.base_url, config };
    this.#operation = operations[config.endpoint ?? "chat"];
    this.#residency = new ResidencyView(context.clock);
    this.#keepAliveMs = keepAliveMs(config.keep_alive);
  }

  supports(task: TaskName): boolean {
    return this.#config.tasks.includes(task);
  }

  /** Whether the model is loaded: /api/ps as of the last probe, updated by our calls since; never a request. */
  isResident(): boolean | undefined {
    return this.#residency.isResident();
  }

  async infer(request: DeadlineAwareRequest, signal: AbortSignal): Promise<ProviderResult> {
    return this.#generation(async () => {
      const { result, body } = await runOperation(this.#operation, this.#call, request, signal);
      this.#context.logger.debug({ provider: this.name, ...ollamaTimings(body as object) }, "ollama answered");
      return result;
    });
  }

  /** The same route with `stream: true`: NDJSON objects, text as it is generated, usage on the one marked done. */
  async inferStream(request: DeadlineAwareRequest, signal: AbortSignal, onText: TextSink): Promise<ProviderResult> {
    return this.#generation(() => runStreamOperation(this.#operation, this.#call, request, signal, onText));
  }

  /** Healthy when /api/tags answers and lists the configured model; /api/ps, read alongside, refreshes residency. */
  async probe(signal: AbortSignal): Promise<void> {
    const residency = this.#readResidency(signal);
    try {
      const body = await requestJson(this.#caller, {
        method: "GET",
        url: joinUrl(this.#config.base_url, "/api/tags"),
        signal,
        notFound: "http_status",
      });
      const listed = listsModel(body, this.#config.model);
      if (listed === undefined) throw new ProviderError(this.name, "malformed", "/api/tags did not return a model list");
      if (!listed) throw new ProviderError(this.name, "model_missing", `model ${this.#config.model} is not on the engine (ollama pull it)`);
    } finally {
      await residency;
    }
  }

  /** An empty prompt makes Ollama load the model and keep it for `keep_alive`. */
  async warmUp(signal: AbortSignal): Promise<void> {
    const loaded = this.#residency.loading();
    try {
      await requestJson(this.#caller, {
        method: "POST",
        url: joinUrl(this.#config.base_url, "/api/generate"),
        body: { model: this.#config.model, prompt: "", stream: false, keep_alive: ollamaKeepAlive(this.#config.keep_alive) },
        signal,
      });
      this.#residency.used(this.#keepAliveMs);
    } finally {
      loaded();
    }
  }

  async close(): Promise<void> {}

  /** One generation: a call to a model known not to be loaded loads it, and an answer keeps it loaded. */
  async #generation(run: () => Promise<ProviderResult>): Promise<ProviderResult> {
    // A call arriving while that load runs would wait for it, so the model reads as not resident meanwhile.
    const loaded = this.#residency.isResident() === false ? this.#residency.loading() : undefined;
    try {
      const result = await run();
      this.#residency.used(this.#keepAliveMs);
      return result;
    } finally {
      loaded?.();
    }
  }

  /**
   * Reads /api/ps into the residency view. Never throws: residency is no part of health. When it
   * cannot be read (an old Ollama, a timeout) the view stays as our own calls left it.
   */
  async #readResidency(signal: AbortSignal): Promise<void> {
    const record = this.#residency.report();
    try {
      const body = await requestJson(this.#caller, {
        method: "GET",
        url: joinUrl(this.#config.base_url, "/api/ps"),
        signal,
        notFound: "http_status",
      });
      const until = residentUntil(body, this.#config.model);
      if (until === undefined) throw new ProviderError(this.name, "malformed", "/api/ps did not return a model list");
      record(until);
    } catch (reason) {
      const error = ProviderError.from(reason, this.name, signal);
      this.#context.logger.debug({ provider: this.name, kind: error.kind, error: error.message }, "ollama /api/ps unreadable");
    }
  }
}

export function createOllamaDriver(config: OllamaProviderConfig, context: DriverContext): Driver {
  return new OllamaDriver(config, context);
}
