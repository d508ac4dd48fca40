import type { BreakerConfig } from "@llm-pool/config";
import type { Clock } from "@llm-pool/core";
import { CircuitState, CountBreaker } from "cockatiel";

export type BreakerStateName = "closed" | "open" | "half_open";

/**
 * The right to make one call through a breaker. Settle it exactly once with
 * the call's outcome; later calls to any method are ignored.
 */
export interface BreakerTicket {
  /** A half-open probe: its outcome decides whether the breaker closes. */
  readonly probe: boolean;
  /** A valid answer. */
  success(): void;
  /** An error, a timeout or an answer that failed validation. */
  failure(): void;
  /** The call ran but was cancelled (a hedge loser, the client left): proves nothing either way. */
  cancel(): void;
  /** The call was never made: hands the permit back. */
  release(): void;
}

export interface BreakerSnapshot {
  readonly state: BreakerStateName;
  /** Calls and failures in the current window. */
  readonly calls: number;
  readonly failures: number;
  /** Clock ms when the breaker last opened; 0 when it never did. */
  readonly openedAt: number;
  /** While open: clock ms when it half-opens to let a probe through; 0 otherwise. */
  readonly halfOpensAt: number;
}

type Outcome = "success" | "failure" | "cancel" | "release";

/**
 * CircuitBreaker guards one provider for one task (R-QOS-1).
 *
 * The window is cockatiel's CountBreaker: the last `window_size` calls, and the
 * breaker opens when, after at least `min_calls` calls, failures are strictly
 * above `failure_rate` of them (6 of 50 opens at 10%, 5 of 50 does not).
 * The state machine around it is ours because cockatiel's CircuitBreakerPolicy
 * reads `Date.now()` directly (so it cannot follow an injected Clock), wraps
 * the call itself (FASTEST owns its calls and cancels losers), lets exactly one
 * probe through while queueing every other caller behind it, and closes the
 * circuit when a probe ends in an error it does not handle, such as a cancel.
 *
 * The first opening lasts `open_ms`; then `half_open_probes` calls are let
 * through. The first successful probe closes the breaker with a fresh window,
 * the first failed probe re-opens it for twice as long as the last time, up
 * to `max_open_ms` (a provider that recovers is back within seconds; one that
 * stays down is probed less and less often). Closing resets the interval. A cancelled probe hands its slot back for another
 * caller, but once every probe of the round was used and none gave a verdict,
 * the breaker re-opens: an unproven provider stays out rather than being
 * probed by every request.
 */
export class CircuitBreaker {
  readonly #settings: BreakerConfig;
  readonly #clock: Clock;
  readonly #onChange: (from: BreakerStateName, to: BreakerStateName) => void;
  readonly #window: CountBreaker;
  #state: BreakerStateName = "closed";
  /** Bumped on every transition, so tickets from an earlier state are ignored. */
  #epoch = 0;
  #openedAt = 0;
  /** How long the current (or next) opening lasts; doubles with each re-opening from half-open. */
  #openMs: number;
  #halfOpenedAt = 0;
  #probesIssued = 0;
  #probesInFlight = 0;

  constructor(
    settings: BreakerConfig,
    clock: Clock,
    onChange: (from: BreakerStateName, to: BreakerStateName) => void = () => {},
  ) {
    checkSettings(settings);
    this.#settings = settings;
    this.#clock = clock;
    this.#onChange = onChange;
    this.#window = newWindow(settings);
    this.#openMs = settings.open_ms;
  }

  get state(): BreakerStateName {
    this.#tick();
    return this.#state;
  }

  /** A ticket for one call, or undefined when the provider must be skipped. */
  permit(): BreakerTicket | undefined {
    this.#tick();
    switch (this.#state) {
      case "closed":
        return this.#ticket(false);
      case "open":
        return undefined;
      case "half_open":
        if (this.#probesIssued >= this.#settings.half_open_probes) return undefined;
        this.#probesIssued++;
        this.#probesInFlight++;
        return this.#ticket(true);
    }
  }

  snapshot(): BreakerSnapshot {
    const window = this.#window.state as { successes: number; failures: number };
    return {
      state: this.state,
      calls: window.successes + window.failures,
      failures: window.failures,
      openedAt: this.#openedAt,
      halfOpensAt: this.#state === "open" ? this.#openedAt + this.#openMs : 0,
    };
  }

  #ticket(probe: boolean): BreakerTicket {
    const epoch = this.#epoch;
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      if (epoch !== this.#epoch) return;
      if (probe) this.#settleProbe(outcome);
      else this.#settleClosed(outcome);
    };
    return {
      probe,
      success: () => settle("success"),
      failure: () => settle("failure"),
      cancel: () => settle("cancel"),
      release: () => settle("release"),
    };
  }

  #settleClosed(outcome: Outcome): void {
    if (outcome === "success") this.#window.success(CircuitState.Closed);
    else if (outcome === "failure" && this.#window.failure(CircuitState.Closed)) this.#open();
  }

  #settleProbe(outcome: Outcome): void {
    this.#probesInFlight--;
    switch (outcome) {
      case "success":
        // CountBreaker starts a fresh window on a half-open success.
        this.#window.success(CircuitState.HalfOpen);
        this.#transition("closed");
        return;
      case "failure":
        this.#window.failure(CircuitState.HalfOpen);
        this.#open();
        return;
      case "release":
        this.#probesIssued--;
        return;
      case "cancel":
        if (this.#probesInFlight === 0 && this.#probesIssued >= this.#settings.half_open_probes) this.#open();
        return;
    }
  }

  /** Time-driven transitions, applied when the breaker is next looked at. */
  #tick(): void {
    const now = this.#clock.now();
    if (this.#state === "open" && now - this.#openedAt >= this.#openMs) {
      this.#halfOpen(now);
    } else if (
      this.#state === "half_open" &&
      this.#probesIssued >= this.#settings.half_open_probes &&
      now - this.#halfOpenedAt >= this.#openMs
    ) {
      // Probes that never reported for a whole open period were lost by their
      // caller; start a new round instead of staying half-open for ever.
      this.#epoch++;
      this.#halfOpenedAt = now;
      this.#probesIssued = 0;
      this.#probesInFlight = 0;
    }
  }

  #open(): void {
    // A re-opening from half-open means the provider is still down: wait longer before the next probe.
    if (this.#state === "half_open") this.#openMs = Math.min(this.#settings.max_open_ms, this.#openMs * 2);
    this.#openedAt = this.#clock.now();
    this.#transition("open");
  }

  #halfOpen(now: number): void {
    this.#halfOpenedAt = now;
    this.#transition("half_open");
  }

  #transition(to: BreakerStateName): void {
    const from = this.#state;
    if (to === "closed") this.#openMs = this.#settings.open_ms;
    this.#state = to;
    this.#epoch++;
    this.#probesIssued = 0;
    this.#probesInFlight = 0;
    this.#onChange(from, to);
  }
}

function newWindow(settings: BreakerConfig): CountBreaker {
  return new CountBreaker({
    threshold: settings.failure_rate,
    size: settings.window_size,
    minimumNumberOfCalls: settings.min_calls,
  });
}

function checkSettings(settings: BreakerConfig): void {
  if (!Number.isSafeInteger(settings.open_ms) || settings.open_ms < 1) {
    throw new RangeError(`breaker open_ms must be a positive integer, got ${settings.open_ms}`);
  }
  if (!Number.isSafeInteger(settings.max_open_ms) || settings.max_open_ms < settings.open_ms) {
    throw new RangeError(`breaker max_open_ms must be an integer of at least open_ms (${settings.open_ms}), got ${settings.max_open_ms}`);
  }
  if (!Number.isSafeInteger(settings.half_open_probes) || settings.half_open_probes < 1) {
    throw new RangeError(`breaker half_open_probes must be a positive integer, got ${settings.half_open_probes}`);
  }
}
