import type { OpenAiProviderConfig, TaskName } from "@llm-pool/config";
import type { ProviderResult, TextSink } from "@llm-pool/core";
import type { DeadlineAwareRequest, Driver, DriverContext } from "../driver.js";
import { joinUrl, requestJson, type EngineCaller } from "../engine-request.js";
import { runOperation, runStreamOperation, type Operation, type OperationCall } from "../operation.js";
import { ProviderError } from "../provider-error.js";
import { chatCompletions } from "./chat-completions.js";
import { completions } from "./completions.js";

const operations: Record<OpenAiProviderConfig["endpoint"], Operation<OpenAiProviderConfig>> = {
  chat: chatCompletions,
  completions,
};

/** The request a warm-up sends: one token, so servers that load models on demand (LM Studio, Ollama's /v1) load it now. */
const WARM_UP_REQUEST: DeadlineAwareRequest = {
  task: "expand_queries",
  prompt: "Reply with OK.",
  maxTokens: 1,
  temperature: 0,
  output: { kind: "text" },
};

/** "http://host:8000" and "http://host:8000/v1" both work as base_url. */
function apiRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
}

/** A model on an OpenAI-compatible server (R-PRV-3). */
export class OpenAiDriver implements Driver {
  readonly driver = "openai";
  readonly name: string;
  readonly model: string;
  readonly engine: string;
  readonly #config: OpenAiProviderConfig;
  readonly #caller: EngineCaller;
  readonly #call: OperationCall<OpenAiProviderConfig>;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(config: OpenAiProviderConfig, context: DriverContext) {
    this.name = config.name;
    this.model = config.model;
    this.engine = config.engine;
    this.#config = config;
    this.#headers = authorization(config, context);
    this.#caller = { provider: config.name, http: context.http, now: () => context.clock.now() };
    this.#call = { caller: this.#caller, baseUrl: apiRoot(config.base_url), config, headers: this.#headers };
  }

  supports(task: TaskName): boolean {
    return this.#config.tasks.includes(task);
  }

  async infer(request: DeadlineAwareRequest, signal: AbortSignal): Promise<ProviderResult> {
    const { result } = await runOperation(operations[this.#config.endpoint], this.#call, request, signal);
    return result;
  }

  /** The same route with `stream: true`: server-sent chunks, then the usage chunk and [DONE]. */
  inferStream(request: DeadlineAwareRequest, signal: AbortSignal, onText: TextSink): Promise<ProviderResult> {
    return runStreamOperation(operations[this.#config.endpoint], this.#call, request, signal, onText);
  }

  /** Healthy when /v1/models answers and lists the configured model. */
  async probe(signal: AbortSignal): Promise<void> {
    const body = await requestJson(this.#caller, {
      method: "GET",
      url: joinUrl(apiRoot(this.#config.base_url), "/v1/models"),
      headers: this.#headers,
      signal,
      notFound: "http_status",
    });
    const data = body !== null && typeof body === "object" ? (body as { data?: unknown }).data : undefined;
    if (!Array.isArray(data)) throw new ProviderError(this.name, "malformed", "/v1/models did not return a model list");
    const listed = data.some((entry: unknown) => entry !== null && typeof entry === "object" && (entry as { id?: unknown }).id === this.model);
    if (!listed) throw new ProviderError(this.name, "model_missing", `model ${this.model} is not served by the engine`);
  }

  async warmUp(signal: AbortSignal): Promise<void> {
    await runOperation(operations[this.#config.endpoint], this.#call, WARM_UP_REQUEST, signal);
  }

  async close(): Promise<void> {}
}

/** The bearer header, read once from the injected env; the key lives only in this object. */
function authorization(config: OpenAiProviderConfig, context: DriverContext): Record<string, string> {
  if (config.api_key_env === null) return {};
  const key = context.env[config.api_key_env];
  // The config loader checks the same variable; this only trips when the env given here differs.
  if (!key) throw new Error(`environment variable ${config.api_key_env} is not set`);
  return { authorization: `Bearer ${key}` };
}

export function createOpenAiDriver(config: OpenAiProviderConfig, context: DriverContext): Driver {
  return new OpenAiDriver(config, context);
}
