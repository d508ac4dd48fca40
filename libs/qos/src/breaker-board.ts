import type { BreakerConfig } from "@llm-pool/config";
import type { CallEnd, Clock } from "@llm-pool/core";
import { CircuitBreaker, type BreakerSnapshot, type BreakerStateName, type BreakerTicket } from "./circuit-breaker.js";

export interface BreakerStateChange {
  readonly provider: string;
  readonly task: string;
  readonly from: BreakerStateName;
  readonly to: BreakerStateName;
  /** Clock ms of the change. */
  readonly at: number;
}

export type BreakerListener = (change: BreakerStateChange) => void;

/** How one call to `provider` for `task` ended (every call, counted or not), for llmpool_call_end_total. */
export type CallEndListener = (provider: string, task: string, end: CallEnd) => void;

export interface BreakerBoardEntry extends BreakerSnapshot {
  readonly provider: string;
  readonly task: string;
}

interface Slot {
  readonly provider: string;
  readonly task: string;
  readonly breaker: CircuitBreaker;
}

/**
 * BreakerBoard holds one CircuitBreaker per (provider, task), created on
 * first use (R-QOS-1). The composition root builds one board and keeps it
 * across config reloads with `reconfigure`.
 */
export class BreakerBoard {
  readonly #clock: Clock;
  readonly #listeners = new Set<BreakerListener>();
  readonly #endListeners = new Set<CallEndListener>();
  #settings: BreakerConfig;
  #slots = new Map<string, Slot>();

  constructor(settings: BreakerConfig, clock: Clock) {
    // Fail on bad settings now rather than on the first call.
    new CircuitBreaker(settings, clock);
    this.#settings = settings;
    this.#clock = clock;
  }

  /**
   * A ticket for one call to `provider` for `task`, or undefined when its
   * breaker is open (or half-open with every probe taken): skip the provider.
   */
  permit(provider: string, task: string): BreakerTicket | undefined {
    return this.#slot(provider, task).breaker.permit();
  }

  /** The breaker's state; "closed" for a pair never called. */
  state(provider: string, task: string): BreakerStateName {
    return this.#slots.get(key(provider, task))?.breaker.state ?? "closed";
  }

  /** One breaker's snapshot; undefined for a pair never called. */
  entry(provider: string, task: string): BreakerSnapshot | undefined {
    return this.#slots.get(key(provider, task))?.breaker.snapshot();
  }

  /**
   * Tells the board how a call ended, whether or not its breaker counted it
   * (a call skipped for an open breaker or a saturated engine included), so
   * every end can be seen in one place; returns nothing and changes no state.
   */
  noteEnd(provider: string, task: string, end: CallEnd): void {
    for (const listener of this.#endListeners) {
      try {
        listener(provider, task, end);
      } catch {
        // A metrics hook must never fail a call.
      }
    }
  }

  /** Calls `listener` with every call's end (see noteEnd); returns an unsubscribe. */
  onCallEnd(listener: CallEndListener): () => void {
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
  }

  /** Calls `listener` on every transition (e.g. to count llmpool_breaker_open_total); returns an unsubscribe. */
  onStateChange(listener: BreakerListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Applies a reloaded [breaker] section. Unchanged settings keep every
   * breaker's state; changed settings start every breaker afresh (closed,
   * empty window), since a window counted under other rules means nothing.
   * Returns whether the breakers were rebuilt.
   */
  reconfigure(settings: BreakerConfig): boolean {
    if (sameSettings(settings, this.#settings)) return false;
    new CircuitBreaker(settings, this.#clock);
    this.#settings = settings;
    this.#slots = new Map();
    return true;
  }

  /** Every breaker created so far, for health and metrics. */
  snapshot(): BreakerBoardEntry[] {
    return [...this.#slots.values()].map(({ provider, task, breaker }) => ({ provider, task, ...breaker.snapshot() }));
  }

  #slot(provider: string, task: string): Slot {
    const k = key(provider, task);
    let slot = this.#slots.get(k);
    if (!slot) {
      const slots = this.#slots;
      const breaker = new CircuitBreaker(this.#settings, this.#clock, (from, to) => {
        // A late ticket of a breaker dropped by `reconfigure` changes nothing anyone sees.
        if (this.#slots === slots) this.#emit({ provider, task, from, to, at: this.#clock.now() });
      });
      slot = { provider, task, breaker };
      slots.set(k, slot);
    }
    return slot;
  }

  #emit(change: BreakerStateChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A metrics hook must never change a breaker's decision or fail a call.
      }
    }
  }
}

/**
 * Settles a ticket from how the call ended (R-QOS-4): only engine faults and
 * engine slowness are failures. A caller that gave up proves nothing, nor
 * does an answer that failed a check the caller chose — except on a
 * half-open probe, where any answer shows the engine is back. A call that
 * never reached the engine (overload) hands its permit back.
 */
export function settleTicket(ticket: BreakerTicket, end: CallEnd): void {
  switch (end) {
    case "ok":
      return ticket.success();
    case "engine_fault":
    case "engine_slow":
      return ticket.failure();
    case "caller_rejected":
      return ticket.probe ? ticket.success() : ticket.cancel();
    case "caller_gave_up":
      return ticket.cancel();
    case "overload":
      return ticket.release();
  }
}

function key(provider: string, task: string): string {
  return `${provider}\u0000${task}`;
}

function sameSettings(a: BreakerConfig, b: BreakerConfig): boolean {
  return (
    a.window_size === b.window_size &&
    a.failure_rate === b.failure_rate &&
    a.min_calls === b.min_calls &&
    a.open_ms === b.open_ms &&
    a.max_open_ms === b.max_open_ms &&
    a.half_open_probes === b.half_open_probes
  );
}
