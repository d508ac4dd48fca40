import type { Clock } from "@llm-pool/core";

/** Records an engine report asked for earlier: the clock ms the model stays loaded until (-Infinity: not loaded). */
export type ResidencyReport = (until: number) => void;

/**
 * What the pool knows about whether one provider's model is loaded on its
 * engine, without asking on the call path: the engine's own report (read by
 * the health probe, e.g. Ollama's /api/ps) corrected by the provider's calls
 * since. A successful call or warm-up leaves the model loaded for the
 * keep-alive it sent; an expiry the engine reports is authoritative until the
 * next call of ours. While a load of ours runs the model reads as not
 * resident: a call arriving now would wait for that load.
 */
export class ResidencyView {
  readonly #clock: Clock;
  /** Clock ms the model stays loaded until (Infinity: no expiry, -Infinity: not loaded); undefined: unknown. */
  #until: number | undefined;
  /** Bumped by each call of ours that finished, so a report read before it cannot overwrite what it taught. */
  #epoch = 0;
  #loads = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  isResident(): boolean | undefined {
    if (this.#loads > 0) return false;
    if (this.#until === undefined) return undefined;
    return this.#clock.now() < this.#until;
  }

  /** A call or warm-up of ours succeeded: the engine keeps the model for `keepAliveMs` from now (0 unloads it). */
  used(keepAliveMs: number): void {
    this.#epoch++;
    this.#until = this.#clock.now() + keepAliveMs;
  }

  /** A load of ours starts; the model reads as not resident until the returned function is called. */
  loading(): () => void {
    this.#loads++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#loads--;
    };
  }

  /**
   * Call when the request for the engine's report is sent; the returned function records the
   * answer, unless a call of ours finished in between (its news is fresher than the report).
   */
  report(): ResidencyReport {
    const epoch = this.#epoch;
    return (until) => {
      if (epoch === this.#epoch) this.#until = until;
    };
  }
}
