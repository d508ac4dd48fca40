import type { Answer } from "@llm-pool/contract";
import type { Clock } from "./clock.js";
import type { EnsembleStream } from "./ensemble.js";
import type { StreamProgress } from "./infer-service.js";

/**
 * The stream one streamed query reports to (R-API-6), seeing its text go
 * out. It keeps the promise that every stream's deltas join to the answer's
 * output: when the strategy streamed no text (a cache hit, an answer shared
 * with an identical query or replayed for its request_id, a collecting
 * strategy that answers once it decided), `complete` sends the output as one
 * delta. And it notes when the first text went out, the time to first token
 * of R-OBS-1 (a strategy's first text is never only whitespace).
 */
export class StreamedText implements EnsembleStream {
  readonly #target: EnsembleStream;
  readonly #clock: Clock;
  #firstTextAt: number | undefined;

  constructor(target: EnsembleStream, clock: Clock) {
    this.#target = target;
    this.#clock = clock;
  }

  /** When the first text went out, on the clock; undefined before. */
  get firstTextAt(): number | undefined {
    return this.#firstTextAt;
  }

  text(provider: string, text: string): void {
    this.#firstTextAt ??= this.#clock.now();
    this.#target.text(provider, text);
  }

  progress(progress: StreamProgress): void {
    this.#target.progress(progress);
  }

  /** The answer is decided: its output goes out as one delta if no text did. */
  complete(answer: Answer): void {
    if (this.#firstTextAt === undefined && answer.output !== "") this.text(answer.winnerProvider, answer.output);
  }
}
