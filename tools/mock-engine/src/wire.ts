import type { OutputFormat } from "./answers.js";

export type DoneReason = "stop" | "length" | "load" | "unload";

/** A generation request, whatever API it came through. */
export interface GenerationInput {
  api: "ollama" | "openai";
  route: string;
  model: string;
  /** Prompt pieces in order (system, messages, prompt). */
  texts: string[];
  messages?: number;
  maxTokens: number | undefined;
  seed: number | undefined;
  temperature: number | undefined;
  topP: number | undefined;
  format: OutputFormat;
  stream: boolean;
  /** keep_alive as sent (for the record) and in ms (undefined: the scenario default). */
  keepAlive: string | number | undefined;
  keepAliveMs: number | undefined;
  /** An Ollama warm-up: load the model, generate nothing. */
  loadOnly: boolean;
}

/** What a stream frame needs before the answer is complete. */
export interface StreamHead {
  id: number;
  model: string;
  now: number;
}

export interface GenerationResult extends StreamHead {
  text: string;
  doneReason: DoneReason;
  promptTokens: number;
  evalTokens: number;
  totalMs: number;
  loadMs: number;
  promptEvalMs: number;
  evalMs: number;
}

/** How one API dresses answers and errors; the engine's behaviour behind it is shared. */
export interface Wire {
  notFound(model: string): unknown;
  serverError(): unknown;
  rateLimited(): unknown;
  /** The body of a non-streamed answer. */
  full(result: GenerationResult): unknown;
  streamContentType: string;
  /** Objects sent before the first token. */
  opening(head: StreamHead): unknown[];
  piece(text: string, head: StreamHead): unknown;
  closing(result: GenerationResult): unknown[];
  /** Frames one JSON text (NDJSON line or SSE event). */
  frame(json: string): string;
  /** Sent after the closing objects (SSE's [DONE]). */
  trailer: string;
}
