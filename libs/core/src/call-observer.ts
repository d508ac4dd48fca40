import type { CandidateStatusName, EnsembleOutcome, EnsemblePlan } from "./ensemble.js";
import type { Usage } from "./provider.js";

/**
 * Why a strategy called a provider: a candidate of the plan, a hedge that
 * FASTEST started beside a call still running, or JUDGE's verdict.
 */
export type ProviderCallRole = "candidate" | "hedge" | "judge";

/** One engine call as a strategy starts it. */
export interface ProviderCallStart {
  readonly provider: string;
  /** The configured model. */
  readonly model: string;
  readonly task: string;
  readonly role: ProviderCallRole;
}

/** How that call ended. */
export interface ProviderCallEnd {
  readonly status: CandidateStatusName;
  /** The model that answered, as the engine named it; the configured one when it did not answer. */
  readonly model: string;
  readonly usage?: Usage;
  /** Why it failed, already cut short; never the prompt or the answer. */
  readonly error?: string;
}

/**
 * What the ensemble reports as it works, for metrics and traces (R-OBS-1,
 * R-OBS-3). Implemented by libs/telemetry and handed to the ensemble by the
 * composition root; calls run on the request's own async context, so a
 * tracer finds the request's span there. Nothing it does may fail a call.
 */
export interface EnsembleObserver {
  /** A provider call starts; the function it returns is called once, when the call ends. */
  callStarted(call: ProviderCallStart): (end: ProviderCallEnd) => void;
  /** A plan was decided (after any fallbacks). */
  decided(plan: EnsemblePlan, outcome: EnsembleOutcome): void;
}
