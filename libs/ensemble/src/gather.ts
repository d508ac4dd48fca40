import type { CandidateRecord, Deadline, EnsemblePlan } from "@llm-pool/core";
import type { BreakerBoard } from "@llm-pool/qos";
import { CandidateCall } from "./candidate-call.js";
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
}

/**
 * Calls every provider of the plan, in provider order and at most
 * `maxParallel` at a time, until all have answered, the window closes or
 * `enough` says so. Resolves (never rejects) with every call that was made,
 * in provider order. Cancelled calls are waited for, so an answer that was
 * already on its way when the stop came is still used.
 */
export function gatherCandidates(plan: EnsemblePlan, options: GatherOptions): Promise<Gathered[]> {
  const total = plan.providers.length;
  const windowPlan: EnsemblePlan = { ...plan, deadline: options.window };
  const maxParallel = Math.max(1, Math.floor(options.maxParallel));
  const calls = new Map<number, CandidateCall>();
  const finished = new Map<number, Gathered>();
  let next = 0;
  let inFlight = 0;
  let stopped = false;

  return new Promise((resolve) => {
    const inOrder = () => [...finished.values()].sort((a, b) => a.index - b.index);
    const stopIfEnough = () => {
      if (stopped || !options.enough?.(inOrder())) return;
      stopped = true;
      calls.forEach((c, i) => finished.has(i) || c.cancel());
    };
    const cancelAskAgain =
      options.askAgainAt === undefined ? () => {} : plan.clock.setTimer(options.askAgainAt - plan.clock.now(), stopIfEnough);
    const finishIfIdle = () => {
      if (inFlight === 0 && (stopped || options.window.signal.aborted || next >= total)) {
        cancelAskAgain();
        resolve(inOrder());
      }
    };
    const launch = () => {
      while (!stopped && !options.window.signal.aborted && inFlight < maxParallel && next < total) {
        const index = next++;
        const reason = options.leaveOut?.(index);
        if (reason !== undefined) {
          finished.set(index, { index, record: leftOut(plan, index, reason), callMs: 0 });
          continue;
        }
        const call = new CandidateCall(windowPlan, index, {
          validator: options.validator,
          ...(options.breakers ? { breakers: options.breakers } : {}),
        });
        calls.set(index, call);
        inFlight++;
        void call.settled.then(({ record, result }) => {
          inFlight--;
          const callMs = Math.max(0, record.latencyMs - (call.startedAt - plan.startedAt));
          finished.set(index, { index, record, callMs, ...(result ? { text: result.text } : {}) });
          // A streaming client sees each candidate end while the strategy waits for the others (R-API-6).
          plan.stream?.progress({ stage: "candidate", provider: record.provider, status: record.status, latencyMs: record.latencyMs });
          stopIfEnough();
          launch();
          finishIfIdle();
        });
      }
    };
    launch();
    finishIfIdle();
  });
}

function leftOut(plan: EnsemblePlan, index: number, reason: string): CandidateRecord {
  const provider = plan.providers[index]!;
  const id = `c${index + 1}`;
  return { id, provider: provider.name, model: provider.model, latencyMs: 0, status: "cancelled", score: 0, hedged: false, error: reason };
}
