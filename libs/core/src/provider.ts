import type { OutputKindName, TaskName } from "./task.js";

/** What the caller wants back from an engine. */
export type OutputSpec =
  | { readonly kind: "text" }
  | { readonly kind: "json" }
  | { readonly kind: "json_schema"; readonly schema: Readonly<Record<string, unknown>> };

/** One engine call, already rendered from the task's template. */
export interface ProviderRequest {
  readonly task: TaskName;
  /** Instruction for the model (the task template's system part). */
  readonly system?: string;
  readonly prompt: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly seed?: number;
  readonly output: OutputSpec;
  /** When the caller stops waiting (clock ms); engine queues refuse early when a wait would pass it. */
  readonly deadlineAt?: number;
}

export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** Why the engine stopped generating. */
export type FinishReason = "stop" | "length";

export interface ProviderResult {
  readonly text: string;
  /** The model as the engine reports it. */
  readonly model: string;
  readonly usage: Usage;
  readonly finishReason: FinishReason;
}

/** Receives each piece of an answer's text, in order, as the engine produces it. */
export type TextSink = (text: string) => void;

/**
 * Provider is one model on one engine (R-PRV-1). `infer` must honour the
 * signal: when it aborts, the upstream request is closed and the promise
 * rejects with a PoolError of the same code as the signal's reason.
 */
export interface Provider {
  /** Unique name from config, e.g. "ollama-phi3-mini". */
  readonly name: string;
  /** "ollama", "openai", "http" or "embedded". */
  readonly driver: string;
  readonly model: string;
  /** Providers sharing an engine share its concurrency limit. */
  readonly engine: string;
  supports(task: TaskName): boolean;
  /** Whether a call would start at once on this provider's engine (hedges avoid busy engines). */
  hasFreeSlot?(): boolean;
  /**
   * Whether the model is loaded on its engine right now, by the engine's own report and the
   * provider's own calls since; undefined when unknown. Cheap: never a request on the call path.
   */
  isResident?(): boolean | undefined;
  infer(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult>;
  /**
   * `infer`, streamed (R-API-6): each piece of text goes to `onText` as the engine produces it,
   * and the result holds the whole text (the pieces joined), the usage and the finish reason.
   * The same signal rules apply, mid-stream too. A provider without it answers whole: callers
   * use `infer` and treat the text as one piece.
   */
  inferStream?(request: ProviderRequest, signal: AbortSignal, onText: TextSink): Promise<ProviderResult>;
}

export type { OutputKindName };
