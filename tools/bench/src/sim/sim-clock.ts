import type { Clock } from "@llm-pool/core";

interface Event {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * SimClock is the virtual clock of the discrete-event simulator: a core
 * `Clock` whose time jumps from one event to the next. Unlike FakeClock it
 * runs callbacks synchronously (no promise flushing), so a run of thousands
 * of requests takes milliseconds. Events at the same time run in the order
 * they were scheduled.
 */
export class SimClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #heap: Event[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const event: Event = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#push(event);
    return () => {
      event.cancelled = true;
    };
  }

  /** Runs events in time order until none is left (or the next is after `until`). */
  run(until = Number.POSITIVE_INFINITY): void {
    for (;;) {
      const next = this.#heap[0];
      if (!next || next.at > until) break;
      this.#pop();
      if (next.cancelled) continue;
      this.#now = next.at;
      next.fn();
    }
    if (Number.isFinite(until)) this.#now = Math.max(this.#now, until);
  }

  /**
   * Runs events in time order like `run`, but lets every promise callback an
   * event set off settle before the next event, so async code under test (the
   * pool's own providers, queues and strategies) runs on virtual time too.
   */
  async runSettled(until = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const next = this.#heap[0];
      if (!next || next.at > until) break;
      this.#pop();
      if (next.cancelled) continue;
      this.#now = next.at;
      next.fn();
    }
    if (Number.isFinite(until)) this.#now = Math.max(this.#now, until);
  }

  #before(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(event: Event): void {
    const heap = this.#heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < heap.length && this.#before(heap[left]!, heap[best]!)) best = left;
      if (right < heap.length && this.#before(heap[right]!, heap[best]!)) best = right;
      if (best === i) return;
      [heap[i], heap[best]] = [heap[best]!, heap[i]!];
      i = best;
    }
  }
}
