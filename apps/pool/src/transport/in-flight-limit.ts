/**
 * Counts the requests in flight on the whole server against a cap, so that
 * a burst is refused at once instead of queueing without bound.
 */
export class InFlightLimit {
  readonly #max: number;
  #count = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get count(): number {
    return this.#count;
  }

  /** Takes one slot; false when every slot is taken. */
  tryEnter(): boolean {
    if (this.#count >= this.#max) return false;
    this.#count++;
    return true;
  }

  /** Gives back a slot taken by `tryEnter`; true when none is left in flight. */
  leave(): boolean {
    this.#count--;
    return this.#count === 0;
  }
}
