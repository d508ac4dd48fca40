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
}

export type { OutputKindName };
