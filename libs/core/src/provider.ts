import type { OutputKindName, TaskName } from "./task.js";

/** What the caller wants back from an engine. */
export type OutputSpec =
  | { readonly kind: "text" }
  | { readonly kind: "json" }
  | {
      readonly kind: "json_schema";
      readonly schema: Readonly<Record<string, unknown>>;
      /**
       * Who chose the schema: the task's config (absent or "task") or the client's query. An answer
       * that fails a client's own schema is the client's doing, not an engine fault (R-QOS-4).
       */
      readonly source?: "task" | "client";
    };

/**
 * How one engine call ended, in the classes breakers and health count (R-QOS-4). Only
 * `engine_fault` and `engine_slow` count against a provider: the others say something about
 * the caller or the load, and nothing a client sends may take a shared provider away.
 */
export type CallEnd =
  /** A valid answer. */
  | "ok"
  /** HTTP 5xx, a reset or refused connection, a malformed body, an answer that fails the task's own format. */
  | "engine_fault"
  /** The engine ran past the time it was given, measured against its own typical latency for such a call. */
  | "engine_slow"
  /** The caller's deadline was shorter than the work it asked for, or the caller went away (a lost hedge). */
  | "caller_gave_up"
  /** The engine answered, but not in a shape the caller itself chose (its own schema, cut at its own max_tokens). */
  | "caller_rejected"
  /** Refused or expired while queued for the engine: the call never reached it. */
  | "overload";

/** A provider's rejection that says how the call ended; providers built by the pool always reject with one. */
export interface ClassifiedFailure {
  readonly callEnd: CallEnd;
}

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
  /**
   * When the caller stops waiting (clock ms); engine queues refuse early when a wait would pass it. The
   * call's signal aborts by then at the latest (the plan's deadline): a provider whose own timeout comes
   * later relies on it and sets no timer of its own.
   */
  readonly deadlineAt?: number;
  /** The tenant the call is for: a saturated engine serves tenants by weighted fair share (R-QOS-5). */
  readonly tenant?: string;
  /** The task's priority: higher goes first among one tenant's waiting calls, and on ties. */
  readonly priority?: number;
}

/** An engine's forecast for one call started now, from the estimate its queue admits with (R-QOS-5). */
export interface CallForecast {
  /** Expected ms before the call gets a slot (0 when one is free). */
  readonly waitMs: number;
  /** Ms to plan for once it starts: the model's typical time for such a call plus a margin for its spread. */
  readonly serviceMs: number;
  /** The model's typical (average) time for such a call: a deadline shorter than this cannot be met even on an idle engine. */
  readonly typicalMs: number;
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
 * Provider is one configured model on one engine (a `[[providers]]` entry,
 * R-PRV-1), spoken to through its engine kind's driver. `infer` must honour the
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
  /**
   * When a call like `request` started now would get a slot and how long it would take, by the
   * same estimate the engine's queue admits with; undefined while the engine knows too little.
   * Strategies plan with it: skip a provider that cannot answer in time, prefer the earliest finish.
   */
  forecast?(request: ProviderRequest): CallForecast | undefined;
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
