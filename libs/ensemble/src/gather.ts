import { Code, Deadline, linkedAbort, PoolError, type CandidateRecord, type EnsemblePlan } from "@llm-pool/core";
import type { BreakerBoard } from "@llm-pool/qos";
import { CandidateCall, type CallResult } from "./candidate-call.js";
import type { OutputValidator } from "./output-validator.js";

/** One finished engine call of a plan. */
export interface Gathered {
  /** The provider's index in the plan (its config order). */
  readonly index: number;
  readonly record: CandidateRecord;
  /** The call's own duration: from its start (it may have waited for a parallel slot) to its end. */
  readonly callMs: number;
  /** The engine's text, when the call returned one (valid or not). */
  readonly text?: string;
}

/** A call whose answer passed validation and may win. */
export type ValidCandidate = Gathered & { readonly text: string };

export function isValid(g: Gathered): g is ValidCandidate {
  return g.record.status === "ok" && g.text !== undefined;
}

export interface GatherOptions {
  /** Calls still running when it fires end as `timeout`; calls not yet started never start. */
  readonly window: Deadline;
  /** Calls in flight at once; the next provider in order starts when one finishes. */
  readonly maxParallel: number;
  readonly validator: OutputValidator;
  /** Circuit breakers; a provider whose breaker is open is recorded as breaker_open and not called. */
  readonly breakers?: BreakerBoard;
  /**
   * Asked after every finished call with everything finished so far (in
   * provider order); true stops waiting: the calls still running are
   * cancelled and the rest never start.
   */
  readonly enough?: (finished: readonly Gathered[]) => boolean;
  /** A clock time (ms) at which `enough` is asked once more, for a rule that changes with time. */
  readonly askAgainAt?: number;
  /**
   * Asked before a provider is called: a reason not to call it (its answer
   * could not be used), or undefined to call it. A provider left out is
   * recorded as `cancelled` with that reason.
   */
  readonly leaveOut?: (index: number) => string | undefined;
  /** Calls beyond the first ones, when the calls so far need them: held-back providers, second calls; see StandIns. */
  readonly standIns?: StandIns;
  /**
   * Closes the window before its time: from `from` (clock ms), as soon as
   * `when` holds for everything finished so far (asked at `from` and after
   * every call that finishes later). Calls still running then end as at the
   * window's end (`timeout`), so they still count as measured.
   */
  readonly closeWindow?: { readonly from: number; readonly when: (finished: readonly Gathered[]) => boolean };
  /** Providers (by index) the decision cannot do without: their calls are skipped only when even a typical answer would be late (CallOptions.needed). */
  readonly needed?: (index: number) => boolean;
}

/**
 * Calls a strategy makes beyond its first ones, to step in for candidates
 * that fail or fall behind: providers held back at the start, or a second
 * call to a provider still working (a hedge: whichever of its calls answers
 * first is its answer, and the other is cancelled).
 */
export interface StandIns {
  /** Providers (by index) not called at the start; called only if `next` names them. */
  readonly heldBack: readonly number[];
  /**
   * The provider (by index) to call now, or undefined. Asked at the start,
   * after every finished call and at the times `askAfter` sets, again and
   * again until it says undefined; a provider still working is called a
   * second time. `startedAt` tells when a provider's first call started.
   */
  next(finished: readonly Gathered[], now: number, startedAt: (index: number) => number | undefined): number | undefined;
  /** Ms after a provider's first call starts at which to ask `next` again (e.g. when it becomes overdue), or undefined. */
  askAfter(index: number): number | undefined;
  /** The `cancelled` reason of held-back providers never called. */
  readonly reason: string;
}

/**
 * Calls every provider of the plan but those held back, in provider order
 * and at most `maxParallel` at a time, then stand-ins as they are asked for,
 * until all have answered, the window closes or `enough` says so. Resolves
 * (never rejects) with every provider's record, in provider order. Cancelled
 * calls are waited for, so an answer that was already on its way when the
 * stop came is still used.
 */
export function gatherCandidates(plan: EnsemblePlan, options: GatherOptions): Promise<Gathered[]> {
  const total = plan.providers.length;
  const early = linkedAbort(options.window.signal);
  const window = new Deadline(plan.clock, options.window.at, early.signal);
  const windowPlan: EnsemblePlan = { ...plan, deadline: window };
  const maxParallel = Math.max(1, Math.floor(options.maxParallel));
  const standIns = options.standIns;
  const heldBack = new Set(standIns?.heldBack ?? []);
  /** Every call made, by provider index: one, or two when a stand-in hedged it. */
  const calls = new Map<number, CandidateCall[]>();
  /** A provider's first failure, kept while its second call runs: an answer of either still wins. */
  const failures = new Map<number, Gathered>();
  const running = new Set<CandidateCall>();
  const finished = new Map<number, Gathered>();
  const queue = [...Array(total).keys()].filter((i) => !heldBack.has(i));
  let next = 0;
  let stopped = false;
  const closed = () => stopped || window.signal.aborted;

  return new Promise((resolve) => {
    const inOrder = () => [...finished.values()].sort((a, b) => a.index - b.index);
    const stopIfEnough = () => {
      if (stopped || !options.enough?.(inOrder())) return;
      stopped = true;
      running.forEach((c) => c.cancel());
    };
    const askStandIns = () => {
      if (!standIns) return;
      // A policy names each provider a bounded number of times; the bound only guards against a loop.
      for (let asked = 0; !closed() && asked < 2 * total; asked++) {
        const index = standIns.next(inOrder(), plan.clock.now(), (i) => calls.get(i)?.[0]?.startedAt);
        if (index === undefined) return;
        if (!finished.has(index) && index in plan.providers) queue.push(index);
      }
    };
    const closeIfDue = () => {
      const close = options.closeWindow;
      if (!close || closed() || plan.clock.now() < close.from || !close.when(inOrder())) return;
      early.controller.abort(new PoolError(Code.DeadlineExceeded, "the candidate window closed"));
    };
    const timers = options.askAgainAt === undefined ? [] : [plan.clock.setTimer(options.askAgainAt - plan.clock.now(), stopIfEnough)];
    if (options.closeWindow) timers.push(plan.clock.setTimer(options.closeWindow.from - plan.clock.now(), closeIfDue));
    const askLater = (index: number) => {
      const ms = standIns?.askAfter(index);
      if (ms === undefined) return;
      timers.push(
        plan.clock.setTimer(ms, () => {
          askStandIns();
          stopIfEnough();
          launch();
          finishIfIdle();
        }),
      );
    };
    const finishIfIdle = () => {
      if (running.size > 0 || (!closed() && next < queue.length)) return;
      timers.forEach((cancel) => cancel());
      window.dispose();
      early.unlink();
      for (const index of heldBack) {
        if (!calls.has(index)) finished.set(index, { index, record: leftOut(plan, index, standIns!.reason), callMs: 0 });
      }
      resolve(inOrder());
    };
    const settle = (index: number, call: CandidateCall, { record, result }: CallResult) => {
      running.delete(call);
      if (finished.has(index)) return;
      const others = calls.get(index)!.filter((c) => running.has(c));
      const callMs = Math.max(0, record.latencyMs - (call.startedAt - plan.startedAt));
      const gathered: Gathered = { index, record, callMs, ...(result ? { text: result.text } : {}) };
      // An answer (valid or not) ends the provider's turn; a failure only once none of its calls is left.
      if (result === undefined && others.length > 0) {
        if (!failures.has(index)) failures.set(index, gathered);
        return;
      }
      others.forEach((c) => c.cancel());
      const done = result === undefined ? (failures.get(index) ?? gathered) : gathered;
      finished.set(index, done);
      // A streaming client sees each candidate end while the strategy waits for the others (R-API-6).
      plan.stream?.progress({ stage: "candidate", provider: done.record.provider, status: done.record.status, latencyMs: done.record.latencyMs });
    };
    const launch = () => {
      while (!closed() && running.size < maxParallel && next < queue.length) {
        const index = queue[next++]!;
        if (finished.has(index)) continue;
        const earlier = calls.get(index) ?? [];
        const reason = earlier.length === 0 ? options.leaveOut?.(index) : undefined;
        if (reason !== undefined) {
          finished.set(index, { index, record: leftOut(plan, index, reason), callMs: 0 });
          continue;
        }
        const call = new CandidateCall(windowPlan, index, {
          validator: options.validator,
          hedged: earlier.length > 0,
          needed: options.needed?.(index) ?? false,
          ...(options.breakers ? { breakers: options.breakers } : {}),
        });
        calls.set(index, [...earlier, call]);
        running.add(call);
        if (earlier.length === 0) askLater(index);
        void call.settled.then((settled) => {
          settle(index, call, settled);
          // Stand-ins first: one now called is part of what `enough` must wait for.
          askStandIns();
          stopIfEnough();
          closeIfDue();
          launch();
          finishIfIdle();
        });
      }
    };
    askStandIns();
    launch();
    finishIfIdle();
  });
}

function leftOut(plan: EnsemblePlan, index: number, reason: string): CandidateRecord {
  const provider = plan.providers[index]!;
  const id = `c${index + 1}`;
  return { id, provider: provider.name, model: provider.model, latencyMs: 0, status: "cancelled", score: 0, hedged: false, error: reason };
}
