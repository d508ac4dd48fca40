/** How busy the engine is; peaks are kept until reset. */
export interface SlotStats {
  limit: number;
  active: number;
  waiting: number;
  peak_active: number;
  peak_waiting: number;
}

export interface SlotLease {
  release(): void;
  /** The request had to wait for another to finish. */
  queued: boolean;
}

interface Waiter {
  grant: (lease: SlotLease) => void;
}

/** The engine's concurrency limit: at most `limit` requests at once, the rest served first come, first served. */
export class Slots {
  #limit: number;
  #active = 0;
  #queue: Waiter[] = [];
  #peakActive = 0;
  #peakWaiting = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** A new limit applies to requests not yet started; raising it lets waiting ones in. */
  setLimit(limit: number): void {
    this.#limit = limit;
    this.#drain();
  }

  acquire(signal: AbortSignal): Promise<SlotLease> {
    signal.throwIfAborted();
    if (this.#queue.length === 0 && this.#active < this.#limit) return Promise.resolve(this.#lease(false));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (lease) => {
          signal.removeEventListener("abort", onAbort);
          resolve(lease);
        },
      };
      const onAbort = () => {
        this.#queue = this.#queue.filter((w) => w !== waiter);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
      this.#peakWaiting = Math.max(this.#peakWaiting, this.#queue.length);
    });
  }

  stats(): SlotStats {
    return {
      limit: this.#limit,
      active: this.#active,
      waiting: this.#queue.length,
      peak_active: this.#peakActive,
      peak_waiting: this.#peakWaiting,
    };
  }

  resetPeaks(): void {
    this.#peakActive = this.#active;
    this.#peakWaiting = this.#queue.length;
  }

  #lease(queued: boolean): SlotLease {
    this.#active += 1;
    this.#peakActive = Math.max(this.#peakActive, this.#active);
    let released = false;
    return {
      queued,
      release: () => {
        if (released) return;
        released = true;
        this.#active -= 1;
        this.#drain();
      },
    };
  }

  #drain(): void {
    while (this.#active < this.#limit) {
      const next = this.#queue.shift();
      if (!next) return;
      next.grant(this.#lease(true));
    }
  }
}
