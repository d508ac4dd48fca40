// The OpenAI-compatible API (/v1/*) as vLLM, llama.cpp server or Ollama's compat layer serve it:
// chat and legacy completions, SSE streaming ending in [DONE], usage, finish_reason, OpenAI error bodies.

import { isBadRequest, isBody, optionalNumber, type ApiRoutes, type BadRequest, type Body, type ParsedGeneration } from "./api-routes.js";
import type { OutputFormat } from "./answers.js";
import type { EngineState } from "./engine.js";
import type { GenerationInput, GenerationResult, StreamHead, Wire } from "./wire.js";

type Kind = "chat" | "completion";

// vLLM's default for /v1/completions; chat completions have no default limit.
const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;
const CREATED = Math.floor(Date.UTC(2025, 0, 1) / 1000);

const error = (message: string, type: string, param: string | null, code: string | null) => ({ error: { message, type, param, code } });

function wire(kind: Kind, includeUsage: boolean): Wire {
  const object = kind === "chat" ? "chat.completion" : "text_completion";
  const chunkObject = kind === "chat" ? "chat.completion.chunk" : "text_completion";
  const envelope = (h: StreamHead, obj: string) => ({
    id: `${kind === "chat" ? "chatcmpl" : "cmpl"}-mock${h.id}`,
    object: obj,
    created: Math.floor(h.now / 1000),
    model: h.model,
    system_fingerprint: "fp_mock",
  });
  const usage = (r: GenerationResult) => ({
    prompt_tokens: r.promptTokens,
    completion_tokens: r.evalTokens,
    total_tokens: r.promptTokens + r.evalTokens,
  });
  const finish = (r: GenerationResult) => (r.doneReason === "length" ? "length" : "stop");
  // With include_usage, every chunk carries `usage: null` and one last chunk carries the numbers.
  const chunk = (h: StreamHead, choice: Record<string, unknown>) => ({
    ...envelope(h, chunkObject),
    choices: [{ index: 0, ...choice, logprobs: null }],
    ...(includeUsage && { usage: null }),
  });
  const delta = (extra: Record<string, unknown>, finishReason: string | null) =>
    kind === "chat" ? { delta: extra, finish_reason: finishReason } : { text: extra["content"] ?? "", finish_reason: finishReason };
  return {
    notFound: (model) => error(`The model \`${model}\` does not exist or you do not have access to it.`, "invalid_request_error", null, "model_not_found"),
    serverError: () => error("The server had an error while processing your request. Sorry about that!", "server_error", null, null),
    rateLimited: () => error("Rate limit reached for requests. Please try again later.", "requests", null, "rate_limit_exceeded"),
    full: (r) => ({
      ...envelope(r, object),
      choices: [
        kind === "chat"
          ? { index: 0, message: { role: "assistant", content: r.text, refusal: null }, logprobs: null, finish_reason: finish(r) }
          : { text: r.text, index: 0, logprobs: null, finish_reason: finish(r) },
      ],
      usage: usage(r),
    }),
    streamContentType: "text/event-stream",
    opening: (h) => (kind === "chat" ? [chunk(h, delta({ role: "assistant", content: "" }, null))] : []),
    piece: (text, h) => chunk(h, delta({ content: text }, null)),
    closing: (r) => [
      chunk(r, delta({}, finish(r))),
      ...(includeUsage ? [{ ...envelope(r, chunkObject), choices: [], usage: usage(r) }] : []),
    ],
    frame: (json) => `data: ${json}\n\n`,
    trailer: "data: [DONE]\n\n",
  };
}

function responseFormat(v: unknown): OutputFormat | BadRequest {
  if (v === undefined || v === null) return { kind: "text" };
  const type = isBody(v) ? v["type"] : undefined;
  if (type === "text") return { kind: "text" };
  if (type === "json_object") return { kind: "json" };
  if (type === "json_schema" && isBody(v) && isBody(v["json_schema"])) {
    return { kind: "json_schema", schema: v["json_schema"]["schema"] ?? {} };
  }
  return { error: "Invalid value for 'response_format': expected {type: text | json_object | json_schema (with json_schema.schema)}.", param: "response_format" };
}

function common(body: Body, route: string, kind: Kind): Omit<GenerationInput, "texts" | "messages"> | BadRequest {
  const model = body["model"];
  if (typeof model !== "string" || model === "") return { error: "you must provide a model parameter", param: "model" };
  const format = responseFormat(body["response_format"]);
  if (isBadRequest(format)) return format;
  const limitKey = kind === "chat" && body["max_completion_tokens"] !== undefined ? "max_completion_tokens" : "max_tokens";
  const maxTokens = optionalNumber(body, limitKey);
  const temperature = optionalNumber(body, "temperature");
  const seed = optionalNumber(body, "seed");
  const topP = optionalNumber(body, "top_p");
  for (const v of [maxTokens, temperature, seed, topP]) if (isBadRequest(v)) return v;
  if (typeof maxTokens === "number" && (maxTokens < 0 || !Number.isInteger(maxTokens))) {
    return { error: `Invalid '${limitKey}': expected a non-negative integer.`, param: limitKey };
  }
  return {
    api: "openai",
    route,
    model,
    stream: body["stream"] === true,
    format,
    maxTokens: (maxTokens as number | undefined) ?? (kind === "completion" ? COMPLETIONS_DEFAULT_MAX_TOKENS : undefined),
    temperature: temperature as number | undefined,
    seed: seed as number | undefined,
    topP: topP as number | undefined,
    keepAlive: undefined,
    keepAliveMs: undefined,
    loadOnly: false,
  };
}

/** Text of a chat message: a string, or the text parts of a content array. */
function contentText(content: unknown): string | undefined {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  return content.map((part) => (isBody(part) && typeof part["text"] === "string" ? part["text"] : "")).join("");
}

const wantsUsage = (body: Body) => isBody(body["stream_options"]) && body["stream_options"]["include_usage"] === true;

function chat(body: Body): ParsedGeneration | BadRequest {
  const base = common(body, "/v1/chat/completions", "chat");
  if (isBadRequest(base)) return base;
  const messages = body["messages"];
  if (!Array.isArray(messages) || messages.length === 0) return { error: "Missing required parameter: 'messages'.", param: "messages" };
  const texts: string[] = [];
  for (const [i, m] of messages.entries()) {
    const text = isBody(m) && typeof m["role"] === "string" ? contentText(m["content"]) : undefined;
    if (text === undefined) return { error: `Invalid value for 'messages[${i}]': expected {role, content}.`, param: `messages[${i}]` };
    if (text !== "") texts.push(text);
  }
  return { input: { ...base, texts, messages: messages.length }, wire: wire("chat", wantsUsage(body)) };
}

function completion(body: Body): ParsedGeneration | BadRequest {
  const base = common(body, "/v1/completions", "completion");
  if (isBadRequest(base)) return base;
  const prompt = body["prompt"];
  const pieces = typeof prompt === "string" ? [prompt] : Array.isArray(prompt) && prompt.every((p) => typeof p === "string") ? (prompt as string[]) : undefined;
  if (!pieces) return { error: "Missing required parameter: 'prompt' (a string or an array of strings).", param: "prompt" };
  return { input: { ...base, texts: pieces.filter((p) => p !== "") }, wire: wire("completion", wantsUsage(body)) };
}

function models(engine: EngineState) {
  return {
    object: "list",
    data: [...engine.scenario.models.keys()].map((id) => ({ id, object: "model", created: CREATED, owned_by: "library" })),
  };
}

export const openaiApi: ApiRoutes = {
  api: "openai",
  badRequest: ({ error: message, param }) => error(message, "invalid_request_error", param ?? null, null),
  get: { "/v1/models": models },
  post: { "/v1/chat/completions": chat, "/v1/completions": completion },
};
