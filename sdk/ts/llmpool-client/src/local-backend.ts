import { create } from "@bufbuild/protobuf";
import { type Answer, AnswerSchema, OutputKind, type Query, Strategy, Task } from "./gen/vvtv/llmpool/v1/llmpool_pb.js";
import { LlmPoolError, parseRetryAfter } from "./llmpool-error.js";
import bundle from "./prompts.json" with { type: "json" };
import type { FetchLike } from "./signing-fetch.js";

/** Where `backend: "local"` sends queries (R-SDK-5): one Ollama or OpenAI-compatible engine. */
export interface LocalEngineOptions {
  /** Default http://127.0.0.1:11434 (Ollama). */
  readonly engineUrl?: string;
  readonly engine?: "ollama" | "openai";
  readonly model: string;
  /** Bearer key for an OpenAI-compatible server that wants one. */
  readonly apiKey?: string;
  readonly temperature?: number;
  /** Default 42, the pool's default task seed, so the same query gets the same answer either way. */
  readonly seed?: number;
}

const DEFAULT_MAX_TOKENS = 256;
const prompts = bundle.tasks as Record<string, { system: string; schema: unknown }>;

/** `Task.EXPAND_QUERIES` -> "expand_queries", the name of its prompt file. */
export function taskName(task: Task): string {
  return (Task[task] ?? "").toLowerCase();
}

/** (system, user) exactly as the pool renders a query for an engine. */
export function renderPrompt(query: Query): { system: string; user: string } {
  // protobuf-es holds a google.protobuf.Struct as a plain JSON object, as the pool does.
  const input = query.input ? `Input (JSON):\n${JSON.stringify(query.input)}` : "";
  return { system: prompts[taskName(query.task)]?.system ?? "", user: [query.prompt.trim(), input].filter(Boolean).join("\n\n") };
}

/** Sends queries straight to one engine with the pool's prompt templates: no ensemble, cache or auth. */
export class LocalBackend {
  readonly #url: string;
  readonly #options: LocalEngineOptions;
  readonly #fetch: FetchLike;

  constructor(options: LocalEngineOptions, fetch: FetchLike) {
    if (!options.model) throw new TypeError("local.model: is required with backend 'local'");
    const engine = options.engine ?? "ollama";
    if (engine !== "ollama" && engine !== "openai") throw new TypeError(`local.engine: expected "ollama" or "openai", got "${String(engine)}"`);
    this.#url = new URL(engine === "ollama" ? "/api/chat" : "/v1/chat/completions", options.engineUrl ?? "http://127.0.0.1:11434").href;
    this.#options = { ...options, engine };
    this.#fetch = fetch;
  }

  async infer(query: Query, signal: AbortSignal): Promise<Answer> {
    if (!prompts[taskName(query.task)]) throw new LlmPoolError("invalid_argument", `unknown task ${query.task}`, { field: "task" });
    if (query.prompt === "" && !query.input) throw new LlmPoolError("invalid_argument", "a query needs a prompt, an input, or both", { field: "prompt" });
    const started = Date.now();
    const response = await this.#fetch(this.#url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.#options.apiKey ? { authorization: `Bearer ${this.#options.apiKey}` } : {}) },
      body: JSON.stringify(this.#body(query)),
      signal,
    }).catch((cause: unknown) => {
      throw signal.aborted
        ? new LlmPoolError("deadline_exceeded", "the engine did not answer in time", { cause })
        : new LlmPoolError("connection", `could not reach the engine at ${this.#url}`, { cause });
    });
    const text = await response.text();
    if (!response.ok) {
      const code = response.status === 429 ? "resource_exhausted" : response.status >= 500 ? "unavailable" : "invalid_argument";
      const retryAfterS = parseRetryAfter(response.headers.get("retry-after"));
      throw new LlmPoolError(code, `${this.#options.engine} engine at ${this.#url} answered ${response.status}: ${text.slice(0, 200)}`, {
        requestId: query.requestId,
        ...(retryAfterS === undefined ? {} : { retryAfterS }),
      });
    }
    const { output, prompt_tokens, completion_tokens } = this.#read(text);
    const usage = { promptTokens: prompt_tokens, completionTokens: completion_tokens };
    return create(AnswerSchema, {
      requestId: query.requestId,
      task: query.task,
      output,
      outputKind: this.#output(query).kind,
      winnerProvider: "local",
      winnerModel: this.#options.model,
      strategyRequested: query.strategy || Strategy.FASTEST,
      strategyApplied: Strategy.FASTEST,
      usage,
      totalUsage: usage,
      durationMs: Date.now() - started,
    });
  }

  #output(query: Query): { kind: OutputKind; schema?: unknown } {
    const kind = query.output?.kind ?? OutputKind.UNSPECIFIED;
    if (kind === OutputKind.UNSPECIFIED) return { kind: OutputKind.JSON_SCHEMA, schema: prompts[taskName(query.task)]?.schema };
    if (kind !== OutputKind.JSON_SCHEMA) return { kind };
    try {
      return { kind, schema: JSON.parse(query.output?.jsonSchema ?? "") };
    } catch {
      throw new LlmPoolError("invalid_argument", "is not valid JSON", { field: "output.json_schema" });
    }
  }

  #body(query: Query): Record<string, unknown> {
    const { system, user } = renderPrompt(query);
    const messages = [
      { role: "system", content: system },
      { role: "user", content: user },
    ];
    const { kind, schema } = this.#output(query);
    const maxTokens = query.maxTokens || DEFAULT_MAX_TOKENS;
    const temperature = this.#options.temperature ?? 0;
    const seed = this.#options.seed ?? 42;
    const model = this.#options.model;
    if (this.#options.engine === "ollama") {
      const format = kind === OutputKind.JSON ? "json" : kind === OutputKind.JSON_SCHEMA ? schema : undefined;
      return { model, messages, stream: false, ...(format ? { format } : {}), options: { num_predict: maxTokens, temperature, seed } };
    }
    const responseFormat =
      kind === OutputKind.JSON
        ? { type: "json_object" }
        : kind === OutputKind.JSON_SCHEMA
          ? { type: "json_schema", json_schema: { name: taskName(query.task), schema, strict: true } }
          : undefined;
    return { model, messages, max_tokens: maxTokens, temperature, seed, stream: false, ...(responseFormat ? { response_format: responseFormat } : {}) };
  }

  #read(text: string): { output: string; prompt_tokens: number; completion_tokens: number } {
    try {
      const data = JSON.parse(text);
      if (this.#options.engine === "ollama") {
        return { output: String(data.message.content), prompt_tokens: data.prompt_eval_count ?? 0, completion_tokens: data.eval_count ?? 0 };
      }
      return { output: String(data.choices[0].message.content), prompt_tokens: data.usage?.prompt_tokens ?? 0, completion_tokens: data.usage?.completion_tokens ?? 0 };
    } catch {
      throw new LlmPoolError("unavailable", `the engine's answer is not a ${this.#options.engine} chat reply`);
    }
  }
}
