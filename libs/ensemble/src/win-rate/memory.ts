import type { Clock, TaskName } from "@llm-pool/core";
import type { WinRateStore } from "../win-rate.js";

export interface MemoryWinRateOptions {
  readonly clock: Clock;
  /** After this long, past wins and losses weigh half as much. Default one hour. */
  readonly halfLifeMs?: number;
  /**
   * Pseudo-decisions (half won) added to every provider's history, so a new
   * provider starts at 0.5 and a few decisions cannot swing it to 0 or 1.
   * Default 2.
   */
  readonly priorDecisions?: number;
}

interface Tally {
  wins: number;
  decisions: number;
  at: number;
}

/**
 * An in-process WinRateStore with exponential decay: both counts shrink by
 * 0.5^(elapsed / halfLife), so the rate is
 * (wins + prior/2) / (decisions + prior) over a fading history and drifts
 * back to 0.5 when a provider stops being compared.
 */
export class MemoryWinRateStore implements WinRateStore {
  readonly #clock: Clock;
  readonly #halfLifeMs: number;
  readonly #prior: number;
  readonly #tallies = new Map<string, Tally>();

  constructor(options: MemoryWinRateOptions) {
    this.#clock = options.clock;
    this.#halfLifeMs = options.halfLifeMs ?? 3_600_000;
    this.#prior = options.priorDecisions ?? 2;
    if (!(this.#halfLifeMs > 0)) throw new RangeError("halfLifeMs must be positive");
    if (!(this.#prior > 0)) throw new RangeError("priorDecisions must be positive");
  }

  rates(task: TaskName, providers: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return Promise.resolve(new Map(providers.map((p) => [p, this.rate(task, p)])));
  }

  record(task: TaskName, won: readonly string[], lost: readonly string[]): Promise<void> {
    for (const winner of won) this.#add(task, winner, 1);
    for (const loser of lost) if (!won.includes(loser)) this.#add(task, loser, 0);
    return Promise.resolve();
  }

  /** The current rate, synchronously (tests and metrics). */
  rate(task: TaskName, provider: string): number {
    const tally = this.#decayed(task, provider);
    return (tally.wins + this.#prior / 2) / (tally.decisions + this.#prior);
  }

  #add(task: TaskName, provider: string, win: 0 | 1): void {
    const tally = this.#decayed(task, provider);
    this.#tallies.set(keyOf(task, provider), { wins: tally.wins + win, decisions: tally.decisions + 1, at: tally.at });
  }

  #decayed(task: TaskName, provider: string): Tally {
    const now = this.#clock.now();
    const tally = this.#tallies.get(keyOf(task, provider));
    if (!tally) return { wins: 0, decisions: 0, at: now };
    const factor = Math.pow(0.5, Math.max(0, now - tally.at) / this.#halfLifeMs);
    return { wins: tally.wins * factor, decisions: tally.decisions * factor, at: now };
  }
}

function keyOf(task: TaskName, provider: string): string {
  return `${task}\u0000${provider}`;
}
