// Ollama's native API (/api/*): the request fields the pool sends and the response shapes it reads.
// Durations are nanoseconds; streaming is NDJSON; stream defaults to true; an empty prompt loads the model.

import { isBadRequest, isBody, optionalNumber, type ApiRoutes, type BadRequest, type Body, type ParsedGeneration } from "./api-routes.js";
import type { OutputFormat } from "./answers.js";
import type { EngineState } from "./engine.js";
import { parseKeepAlive } from "./keep-alive.js";
import { hashHex, seedFrom } from "./prng.js";
import type { ResolvedModel } from "./scenario.js";
import type { GenerationInput, GenerationResult, StreamHead, Wire } from "./wire.js";

type Kind = "generate" | "chat";

const ns = (ms: number) => Math.round(ms * 1e6);
const iso = (ms: number) => new Date(ms).toISOString();
// Far enough to read as "never" (Go's maximum duration is about 292 years).
const FOREVER_MS = Date.UTC(2318, 0, 1);
const MODIFIED_AT = "2025-01-01T00:00:00Z";

/** Stand-in token ids for the deprecated `context` field, stable for the same words. */
function context(result: GenerationResult): number[] {
  return result.text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => seedFrom(word) % 32_000);
}

function wire(kind: Kind): Wire {
  const head = (h: StreamHead, text: string) =>
    kind === "generate"
      ? { model: h.model, created_at: iso(h.now), response: text }
      : { model: h.model, created_at: iso(h.now), message: { role: "assistant", content: text } };
  const done = (r: GenerationResult) => {
    if (r.doneReason === "load" || r.doneReason === "unload") return { ...head(r, ""), done: true, done_reason: r.doneReason };
    return {
      ...head(r, ""),
      done: true,
      done_reason: r.doneReason,
      ...(kind === "generate" && { context: context(r) }),
      total_duration: ns(r.totalMs),
      load_duration: ns(r.loadMs),
      prompt_eval_count: r.promptTokens,
      prompt_eval_duration: ns(r.promptEvalMs),
      eval_count: r.evalTokens,
      eval_duration: ns(r.evalMs),
    };
  };
  return {
    notFound: (model) => ({ error: `model '${model}' not found` }),
    serverError: () => ({ error: "llama runner process has terminated: exit status 2" }),
    rateLimited: () => ({ error: "server busy, please try again.  maximum pending requests exceeded" }),
    full: (r) => ({ ...done(r), ...head(r, r.text) }),
    streamContentType: "application/x-ndjson",
    opening: () => [],
    piece: (text, h) => ({ ...head(h, text), done: false }),
    closing: (r) => [done(r)],
    frame: (json) => `${json}\n`,
    trailer: "",
  };
}

function format(v: unknown): OutputFormat | BadRequest {
  if (v === undefined || v === null || v === "") return { kind: "text" };
  if (v === "json") return { kind: "json" };
  if (isBody(v)) return { kind: "json_schema", schema: v };
  return { error: `invalid format: expected "json" or a JSON schema, got ${JSON.stringify(v)}`, param: "format" };
}

/** The fields /api/generate and /api/chat share. */
function common(body: Body, route: string, kind: Kind): Omit<GenerationInput, "texts" | "loadOnly"> | BadRequest {
  const model = body["model"];
  if (typeof model !== "string" || model === "") return { error: "model is required", param: "model" };
  const fmt = format(body["format"]);
  if (isBadRequest(fmt)) return fmt;
  const options = body["options"] ?? {};
  if (!isBody(options)) return { error: "invalid options: expected an object", param: "options" };
  const numPredict = optionalNumber(options, "num_predict", "options.num_predict");
  const temperature = optionalNumber(options, "temperature", "options.temperature");
  const seed = optionalNumber(options, "seed", "options.seed");
  const topP = optionalNumber(options, "top_p", "options.top_p");
  for (const v of [numPredict, temperature, seed, topP]) if (isBadRequest(v)) return v;
  let keepAliveMs: number | undefined;
  const keepAlive = body["keep_alive"];
  if (keepAlive !== undefined && keepAlive !== null) {
    try {
      keepAliveMs = parseKeepAlive(keepAlive);
    } catch (err) {
      return { error: (err as Error).message, param: "keep_alive" };
    }
  }
  return {
    api: "ollama",
    route,
    model,
    // Ollama streams unless told `stream: false`.
    stream: body["stream"] !== false,
    format: fmt,
    // Negative num_predict means "no limit" in Ollama.
    maxTokens: typeof numPredict === "number" && numPredict >= 0 ? Math.floor(numPredict) : undefined,
    temperature: temperature as number | undefined,
    seed: seed as number | undefined,
    topP: topP as number | undefined,
    keepAlive: keepAlive as string | number | undefined,
    keepAliveMs,
    ...(kind === "chat" && { messages: Array.isArray(body["messages"]) ? body["messages"].length : 0 }),
  };
}

function generate(body: Body): ParsedGeneration | BadRequest {
  const base = common(body, "/api/generate", "generate");
  if (isBadRequest(base)) return base;
  const { prompt = "", system = "" } = body;
  if (typeof prompt !== "string") return { error: "invalid prompt: expected a string", param: "prompt" };
  if (typeof system !== "string") return { error: "invalid system: expected a string", param: "system" };
  const texts = [system, prompt].filter((t) => t !== "");
  return { input: { ...base, texts, loadOnly: prompt === "" }, wire: wire("generate") };
}

function chat(body: Body): ParsedGeneration | BadRequest {
  const base = common(body, "/api/chat", "chat");
  if (isBadRequest(base)) return base;
  const messages = body["messages"] ?? [];
  if (!Array.isArray(messages)) return { error: "invalid messages: expected an array", param: "messages" };
  const texts: string[] = [];
  for (const [i, m] of messages.entries()) {
    if (!isBody(m) || typeof m["role"] !== "string") return { error: `invalid messages[${i}]: expected {role, content}`, param: `messages[${i}]` };
    const content = m["content"] ?? "";
    if (typeof content !== "string") return { error: `invalid messages[${i}].content: expected a string`, param: `messages[${i}].content` };
    if (content !== "") texts.push(content);
  }
  return { input: { ...base, texts, loadOnly: messages.length === 0 }, wire: wire("chat") };
}

function describe(m: ResolvedModel) {
  return {
    name: m.name,
    model: m.name,
    size: m.sizeBytes,
    digest: hashHex("model", m.name),
    details: {
      parent_model: "",
      format: "gguf",
      family: m.family,
      families: [m.family],
      parameter_size: m.parameterSize,
      quantization_level: m.quantizationLevel,
    },
  };
}

function tags(engine: EngineState) {
  return { models: [...engine.scenario.models.values()].map((m) => ({ ...describe(m), modified_at: MODIFIED_AT })) };
}

function ps(engine: EngineState) {
  const models = engine.residency.list().flatMap(({ model, expiresAt }) => {
    const m = engine.scenario.models.get(model);
    if (!m) return [];
    const expires = Number.isFinite(expiresAt) ? expiresAt : FOREVER_MS;
    return [{ ...describe(m), expires_at: iso(expires), size_vram: m.sizeBytes, context_length: m.contextLength }];
  });
  return { models };
}

export const ollamaApi: ApiRoutes = {
  api: "ollama",
  badRequest: ({ error }) => ({ error }),
  get: { "/api/tags": tags, "/api/ps": ps, "/api/version": () => ({ version: "0.0.0-mock" }) },
  post: { "/api/generate": generate, "/api/chat": chat },
};
