/** What the gate needs of a clock (core's Clock fits): hold-downs are read on the pool's timeline. */
export interface GateClock {
  now(): number;
}

export type GateResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly error: unknown;
      /** The store was not called: the gate is holding it down after a recent failure. */
      readonly skipped: boolean;
      /**
       * This failure began an outage (the gate was up when it failed): the
       * one to report. Calls in flight together fail together, and only the
       * first of them is reported; so is a failure after each hold-down.
       */
      readonly opened: boolean;
    };

export interface OutageGateOptions {
  readonly clock: GateClock;
  /**
   * After a failure the store is not asked again for this long: requests
   * meet the degraded behaviour at once instead of each waiting out the
   * command timeout. Default 1000 ms.
   */
  readonly downForMs?: number;
  /**
   * Every call fails after this long (real time: it bounds I/O, not a span
   * of the pool's timeline), whatever the client's own timeouts. Only for a
   * client the gate cannot vouch for (one given by a caller); a client from
   * createFailFastRedis already fails within its command timeout. Default:
   * no bound of the gate's own.
   */
  readonly timeoutMs?: number;
}

/** The error of a call the gate did not make because the store is held down. */
export class StoreDownError extends Error {
  override readonly name = "StoreDownError";
}

/** The error of a call that did not settle within the gate's `timeoutMs`. */
export class StoreTimeoutError extends Error {
  override readonly name = "StoreTimeoutError";
}

/**
 * The one place the pool decides what a Redis outage costs a request: it
 * runs each store call, remembers a failure for `downForMs` and skips the
 * store meanwhile, and says which failure to report. With a fail-fast client
 * (no offline queue, a command timeout) a request waits at most one command
 * timeout for a hung Redis, nothing for a dead one, and nothing while the
 * gate is down. Stores on one client share one gate, so one request pays
 * the timeout at most once. The cache, the security stores and the
 * win-rates all use it; what a failure means (a miss, a 503, a local
 * fallback, a dropped write) is theirs to say.
 */
export class OutageGate {
  readonly #clock: GateClock;
  readonly #downForMs: number;
  readonly #timeoutMs: number | undefined;
  #downUntil = -Infinity;

  constructor(options: OutageGateOptions) {
    this.#clock = options.clock;
    this.#downForMs = options.downForMs ?? 1_000;
    this.#timeoutMs = options.timeoutMs;
    if (!(this.#downForMs >= 0)) throw new RangeError("downForMs must not be negative");
    if (this.#timeoutMs !== undefined && !(this.#timeoutMs > 0)) throw new RangeError("timeoutMs must be positive");
  }

  /** True while the store is being skipped after a failure. */
  get down(): boolean {
    return this.#clock.now() < this.#downUntil;
  }

  /** How long a failure holds the store down, for messages ("skipping Redis for 1000 ms"). */
  get downForMs(): number {
    return this.#downForMs;
  }

  async run<T>(operation: string, call: () => Promise<T>): Promise<GateResult<T>> {
    if (this.down) {
      return { ok: false, error: new StoreDownError(`store skipped after a recent failure (${operation})`), skipped: true, opened: false };
    }
    try {
      return { ok: true, value: await this.#bounded(call) };
    } catch (error) {
      const opened = !this.down;
      this.#downUntil = this.#clock.now() + this.#downForMs;
      return { ok: false, error, skipped: false, opened };
    }
  }

  async #bounded<T>(call: () => Promise<T>): Promise<T> {
    const timeoutMs = this.#timeoutMs;
    if (timeoutMs === undefined) return call();
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreTimeoutError(`no reply within ${timeoutMs} ms`)), timeoutMs);
          timer.unref?.();
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
