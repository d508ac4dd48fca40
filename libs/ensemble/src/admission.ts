import { admissionRefusal, type EnsemblePlan, type Provider } from "@llm-pool/core";
import type { BreakerBoard } from "@llm-pool/qos";
import { EngineSaturatedError } from "./overload-error.js";

/** Why a provider is skipped without a call, and when a call like it could be admitted again. */
export interface AdmissionRefusal {
  readonly message: string;
  readonly retryAfterMs: number;
}

/**
 * Skips, without a call, a provider whose engine cannot answer before the
 * plan's deadline (for a collecting strategy, its candidate window), by the
 * forecast and the rule its engine queue admits with (R-QOS-5). A `needed`
 * call is planned at the model's typical time rather than its planned time:
 * it is skipped only when even a typical answer would come too late.
 */
export function admissionRefusalOf(provider: Provider, plan: EnsemblePlan, needed = false): AdmissionRefusal | undefined {
  const forecast = provider.forecast?.(plan.request);
  if (!forecast) return undefined;
  const planned = needed ? { ...forecast, serviceMs: forecast.typicalMs } : forecast;
  const message = admissionRefusal(provider.engine, planned, plan.deadline.at - plan.clock.now());
  return message === undefined ? undefined : { message, retryAfterMs: Math.max(1000, Math.ceil(forecast.waitMs)) };
}

/**
 * The refusal of a plan none of whose providers can answer before its
 * deadline (R-QOS-5), decided before any strategy runs: one forecast per
 * provider, and no call, timer, listener or promise chain for a query that
 * would only be refused after trying each provider in turn. Any strategy
 * ends such a plan with this same 429 (a collecting one skips by its
 * candidate window, which is shorter still). Each provider's end is noted as
 * `overload`, as a skipped call's is. Undefined when some provider may be
 * called: the strategy then plans as usual.
 */
export function refusalBeforeRun(plan: EnsemblePlan, breakers?: BreakerBoard): EngineSaturatedError | undefined {
  if (plan.providers.length === 0) return undefined;
  const skipped: { provider: string; status: "saturated"; error: string }[] = [];
  let retryAfterMs = Infinity;
  for (const provider of plan.providers) {
    const refusal = admissionRefusalOf(provider, plan);
    if (!refusal) return undefined;
    skipped.push({ provider: provider.name, status: "saturated", error: refusal.message.slice(0, 256) });
    retryAfterMs = Math.min(retryAfterMs, refusal.retryAfterMs);
  }
  for (const provider of plan.providers) breakers?.noteEnd(provider.name, plan.task, "overload");
  return new EngineSaturatedError(plan.task, skipped, retryAfterMs);
}
