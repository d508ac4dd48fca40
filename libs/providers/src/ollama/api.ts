// Ollama's native API as the driver speaks it (docs/api.md of ollama/ollama). Durations are
// nanoseconds; `stream` defaults to true, so every request says `stream: false`.

/** `format`: "json" for JSON mode, or a JSON Schema object for structured outputs. */
export type OllamaFormat = "json" | Readonly<Record<string, unknown>>;

/** Runtime options (Modelfile parameters) the driver sets; the rest keep the model's defaults. */
export interface OllamaOptions {
  /** max_tokens; -1 would mean no limit. */
  num_predict?: number;
  temperature?: number;
  seed?: number;
}

/** A Go duration ("30m", "1h30m") or seconds; a negative number keeps the model loaded. */
export type OllamaKeepAlive = string | number;

export interface OllamaChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface OllamaChatRequest {
  model: string;
  messages: OllamaChatMessage[];
  stream: false;
  format?: OllamaFormat;
  options?: OllamaOptions;
  keep_alive?: OllamaKeepAlive;
}

export interface OllamaGenerateRequest {
  model: string;
  /** An empty prompt only loads the model (the warm-up). */
  prompt: string;
  system?: string;
  stream: false;
  format?: OllamaFormat;
  options?: OllamaOptions;
  keep_alive?: OllamaKeepAlive;
}

/** Fields shared by the final (or only) object of /api/generate and /api/chat. */
export interface OllamaDoneFields {
  model: string;
  created_at: string;
  done: boolean;
  /** "stop", "length" (num_predict reached), "load", "unload". */
  done_reason?: string;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

export interface OllamaChatResponse extends OllamaDoneFields {
  message: { role: "assistant"; content: string };
}

export interface OllamaGenerateResponse extends OllamaDoneFields {
  response: string;
}

export interface OllamaModelEntry {
  name: string;
  model: string;
  /** /api/ps only: when the model will be unloaded (RFC 3339, nanoseconds and an offset). */
  expires_at?: string;
}

/** GET /api/tags (installed models) and GET /api/ps (loaded models). */
export interface OllamaModelList {
  models: OllamaModelEntry[];
}

/** Engine-side timings of one call in ms (the wire has nanoseconds), for debug logs. */
export function ollamaTimings(body: Partial<OllamaDoneFields>): Record<string, number> {
  const ms = (ns: number | undefined) => (typeof ns === "number" ? Math.round(ns / 1e6) : undefined);
  const entries = {
    total_ms: ms(body.total_duration),
    load_ms: ms(body.load_duration),
    prompt_eval_ms: ms(body.prompt_eval_duration),
    eval_ms: ms(body.eval_duration),
  };
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as Record<string, number>;
}
