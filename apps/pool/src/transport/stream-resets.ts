import type { Clock } from "@llm-pool/core";

/**
 * Counts the streams of one HTTP/2 connection that end in a reset within a
 * fixed window. A client that resets a stream right after opening it makes
 * the server start work it never pays for (rapid reset, CVE-2023-44487);
 * nghttp2's own bucket (1000 resets, then 33 a second) answers with a
 * GOAWAY but Node leaves the socket open and keeps reading it.
 */
export class StreamResetBudget {
  readonly #clock: Clock;
  readonly #max: number;
  readonly #windowMs: number;
  #windowStart: number;
  #count = 0;

  constructor(clock: Clock, max: number, windowMs: number) {
    this.#clock = clock;
    this.#max = max;
    this.#windowMs = windowMs;
    this.#windowStart = clock.now();
  }

  /** Records one reset; true once the window holds more than the budget. */
  spend(): boolean {
    const now = this.#clock.now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#count = 0;
    }
    this.#count++;
    return this.#count > this.#max;
  }
}
