import type { HttpProviderConfig, TaskName } from "@llm-pool/config";
import type { ProviderResult, TextSink } from "@llm-pool/core";
import { readAnswer, type AnswerShape } from "../answer-shape.js";
import type { DeadlineAwareRequest, Driver, DriverContext } from "../driver.js";
import { joinUrl, requestJson, type EngineCaller } from "../engine-request.js";
import { parseJsonPath } from "../json-path.js";
import { fillTemplate, type PlaceholderValues } from "./body-template.js";
import { resolveHeaders } from "./headers.js";

/**
 * Any JSON API, described entirely by config (R-PRV-4): method, URL, headers
 * with `${ENV}` references, a body template with typed placeholders, and JSON
 * paths to the answer text and usage. The template decides the output format;
 * the request's `output` is not translated.
 */
export class HttpDriver implements Driver {
  readonly driver = "http";
  readonly name: string;
  readonly model: string;
  readonly engine: string;
  readonly #config: HttpProviderConfig;
  readonly #context: DriverContext;
  readonly #caller: EngineCaller;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #answer: AnswerShape;

  constructor(config: HttpProviderConfig, context: DriverContext) {
    this.name = config.name;
    this.model = config.model;
    this.engine = config.engine;
    this.#config = config;
    this.#context = context;
    this.#caller = { provider: config.name, http: context.http, now: () => context.clock.now() };
    this.#headers = resolveHeaders(config, context.env);
    this.#answer = {
      text: parseJsonPath(config.text_path),
      ...(config.prompt_tokens_path === null ? {} : { promptTokens: parseJsonPath(config.prompt_tokens_path) }),
      ...(config.completion_tokens_path === null ? {} : { completionTokens: parseJsonPath(config.completion_tokens_path) }),
    };
  }

  supports(task: TaskName): boolean {
    return this.#config.tasks.includes(task);
  }

  async infer(request: DeadlineAwareRequest, signal: AbortSignal): Promise<ProviderResult> {
    const body = await requestJson(this.#caller, {
      method: this.#config.method,
      url: joinUrl(this.#config.base_url, this.#config.path),
      headers: this.#headers,
      body: fillTemplate(this.#config.body_template, this.#placeholders(request)),
      signal,
    });
    return readAnswer(this.name, body, this.#answer, this.model);
  }

  /**
   * A templated API has no declared way to stream: the answer comes whole and
   * goes to `onText` as one piece, so the streaming path works with it too.
   */
  async inferStream(request: DeadlineAwareRequest, signal: AbortSignal, onText: TextSink): Promise<ProviderResult> {
    const result = await this.infer(request, signal);
    if (result.text !== "") onText(result.text);
    return result;
  }

  /** GET `health_path` must answer 2xx. Without one there is no active check: the probe only re-admits, and real calls decide. */
  async probe(signal: AbortSignal): Promise<void> {
    if (this.#config.health_path === null) return;
    await requestJson(this.#caller, {
      method: "GET",
      url: joinUrl(this.#config.base_url, this.#config.health_path),
      headers: this.#headers,
      signal,
      notFound: "http_status",
      expect: "none",
    });
  }

  /** A templated API has no generic way to preload, and a test call may cost money: nothing to do. */
  async warmUp(): Promise<void> {}

  async close(): Promise<void> {}

  #placeholders(request: DeadlineAwareRequest): PlaceholderValues {
    return {
      prompt: request.prompt,
      system: request.system ?? "",
      model: this.model,
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      seed: request.seed ?? null,
      deadline_ms: request.deadlineAt === undefined ? null : Math.max(0, Math.round(request.deadlineAt - this.#context.clock.now())),
    };
  }
}

export function createHttpDriver(config: HttpProviderConfig, context: DriverContext): Driver {
  return new HttpDriver(config, context);
}
