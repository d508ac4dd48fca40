import type { OllamaProviderConfig, TaskName } from "@llm-pool/config";
import type { ProviderResult } from "@llm-pool/core";
import type { DeadlineAwareRequest, Driver, DriverContext } from "../driver.js";
import { joinUrl, requestJson, type EngineCaller } from "../engine-request.js";
import { runOperation, type Operation, type OperationCall } from "../operation.js";
import { ProviderError } from "../provider-error.js";
import { ollamaTimings } from "./api.js";
import { chat } from "./chat.js";
import { generate } from "./generate.js";
import { listsModel } from "./model-list.js";
import { ollamaKeepAlive } from "./parameters.js";

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

  constructor(config: OllamaDriverConfig, context: DriverContext) {
    this.name = config.name;
    this.model = config.model;
    this.engine = config.engine;
    this.#config = config;
    this.#context = context;
    this.#caller = { provider: config.name, fetch: context.fetch, now: () => context.clock.now() };
    this.#call = { caller: this.#caller, baseUrl: config.base_url, config };
    this.#operation = operations[config.endpoint ?? "chat"];
  }

  supports(task: TaskName): boolean {
    return this.#config.tasks.includes(task);
  }

  async infer(request: DeadlineAwareRequest, signal: AbortSignal): Promise<ProviderResult> {
    const { result, body } = await runOperation(this.#operation, this.#call, request, signal);
    this.#context.logger.debug({ provider: this.name, ...ollamaTimings(body as object) }, "ollama answered");
    return result;
  }

  /** Healthy when /api/tags answers and lists the configured model. */
  async probe(signal: AbortSignal): Promise<void> {
    const body = await requestJson(this.#caller, {
      method: "GET",
      url: joinUrl(this.#config.base_url, "/api/tags"),
      signal,
      notFound: "http_status",
    });
    const listed = listsModel(body, this.#config.model);
    if (listed === undefined) throw new ProviderError(this.name, "malformed", "/api/tags did not return a model list");
    if (!listed) throw new ProviderError(this.name, "model_missing", `model ${this.#config.model} is not on the engine (ollama pull it)`);
  }

  /** An empty prompt makes Ollama load the model and keep it for `keep_alive`. */
  async warmUp(signal: AbortSignal): Promise<void> {
    await requestJson(this.#caller, {
      method: "POST",
      url: joinUrl(this.#config.base_url, "/api/generate"),
      body: { model: this.#config.model, prompt: "", stream: false, keep_alive: ollamaKeepAlive(this.#config.keep_alive) },
      signal,
    });
  }

  async close(): Promise<void> {}
}

export function createOllamaDriver(config: OllamaProviderConfig, context: DriverContext): Driver {
  return new OllamaDriver(config, context);
}
