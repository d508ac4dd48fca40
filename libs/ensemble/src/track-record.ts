import type { CandidateStatusName, TaskName } from "@llm-pool/core";

export interface TrackRecordOptions {
  /**
   * How much each new call moves the moving averages (the α of an
   * exponentially weighted mean). Default 0.2: the last ten or so calls
   * carry most of the weight, so a provider that degrades or recovers shows
   * it within a handful of calls, however long its history.
   */
  readonly smoothing?: number;
  /**
   * After this many calls of the task without a measure of a provider's
   * latency, it is stale: the next measure replaces it instead of moving it
   * a step, and JUDGE waits for the provider again. Default 50.
   */
  readonly staleAfter?: number;
}

/** What the pool has seen of one provider's calls on one task. */
export interface Track {
  /** Moving share of calls that returned a valid answer; 1 before the first call. */
  readonly validity: number;
  /** Moving mean of a call's own duration in ms (answers and slow timeouts); undefined before the first. */
  readonly latencyMs: number | undefined;
  /** The task's call count when this provider's latency was last measured; -1 when never. */
  readonly seenAt: number;
  /** The task's call count when a WEIGHTED query last explored it; -1 when never. */
  readonly exploredAt: number;
  /** Its latency was last measured more than `staleAfter` calls of the task ago. */
  readonly stale: boolean;
}

const UNSEEN: Track = Object.freeze({ validity: 1, latencyMs: undefined, seenAt: -1, exploredAt: -1, stale: false });

/**
 * TrackRecord keeps, per (task, provider), how reliable and how fast its
 * calls have been lately, for WEIGHTED's score (R-ENS-3). It is fed with the
 * calls of the gathering strategies and kept in process: each replica
 * learns from the calls it makes. Moving averages count calls, not time, so
 * the record is a function of the calls seen, in the order they finished.
 */
export class TrackRecord {
  readonly #alpha: number;
  readonly #staleAfter: number;
  readonly #tracks = new Map<string, Omit<Track, "stale">>();
  readonly #calls = new Map<TaskName, number>();

  constructor(options: TrackRecordOptions = {}) {
    this.#alpha = options.smoothing ?? 0.2;
    this.#staleAfter = options.staleAfter ?? 50;
    if (!(this.#alpha > 0 && this.#alpha <= 1)) throw new RangeError(`smoothing must be in (0, 1], got ${this.#alpha}`);
    if (!(this.#staleAfter >= 1)) throw new RangeError(`staleAfter must be at least 1, got ${this.#staleAfter}`);
  }

  track(task: TaskName, provider: string): Track {
    const track = this.#tracks.get(keyOf(task, provider));
    if (!track) return UNSEEN;
    return { ...track, stale: (this.#calls.get(task) ?? 0) - track.seenAt > this.#staleAfter };
  }

  /**
   * Learns from one finished call, by status. `awaited` says whether the
   * decision would have waited for this call however long it took: only
   * such a call's duration is a fair sample, since a call that merely
   * happened to finish before an early stop is a sample of the fast ones.
   *
   * - ok, invalid: validity; the duration when awaited;
   * - error: validity only (failing fast is not being fast);
   * - timeout: a failure at its elapsed time, but only past the provider's
   *   usual latency: a shorter one says more about the query's deadline or
   *   window than about the provider (R-QOS-4); with no usual latency (none
   *   yet, or stale), its elapsed time alone, as a lower bound;
   * - cancelled: its elapsed time when already past the usual latency (it
   *   was at least that slow), else nothing;
   * - breaker_open, saturated: nothing.
   */
  observe(task: TaskName, provider: string, status: CandidateStatusName, callMs: number, awaited = true): void {
    const current = this.track(task, provider);
    const pastUsual = current.latencyMs !== undefined && callMs > current.latencyMs;
    switch (status) {
      case "ok":
      case "invalid":
        return this.#update(task, provider, current, status === "ok", awaited ? callMs : undefined);
      case "error":
        return this.#update(task, provider, current, false, undefined);
      case "timeout":
        // Unmeasured, its elapsed time is the only measure there is (at least that slow), and without it
        // a candidate JUDGE waits for until it has a record would be waited for, and cut, forever.
        if (current.latencyMs === undefined || current.stale) return this.#update(task, provider, current, undefined, callMs);
        return pastUsual ? this.#update(task, provider, current, false, callMs) : undefined;
      case "cancelled":
        return pastUsual ? this.#update(task, provider, current, undefined, callMs) : undefined;
      default:
        return;
    }
  }

  /** A WEIGHTED query explores this provider: the next one explores another. */
  explored(task: TaskName, provider: string): void {
    const { stale: _, ...current } = this.track(task, provider);
    this.#tracks.set(keyOf(task, provider), { ...current, exploredAt: this.#calls.get(task) ?? 0 });
  }

  /** Moves the averages a step toward what the call showed; undefined leaves that average alone. */
  #update(task: TaskName, provider: string, current: Track, valid: boolean | undefined, ms: number | undefined): void {
    const a = this.#alpha;
    const calls = (this.#calls.get(task) ?? 0) + 1;
    this.#calls.set(task, calls);
    const latencyMs =
      ms === undefined
        ? current.latencyMs
        : current.latencyMs === undefined || current.stale
          ? ms
          : current.latencyMs + a * (ms - current.latencyMs);
    const validity = valid === undefined ? current.validity : current.validity + a * ((valid ? 1 : 0) - current.validity);
    const seenAt = ms === undefined ? current.seenAt : calls;
    this.#tracks.set(keyOf(task, provider), { validity, latencyMs, seenAt, exploredAt: current.exploredAt });
  }
}

function keyOf(task: TaskName, provider: string): string {
  return `${task}\u0000${provider}`;
}
