import type { CallForecast } from "./provider.js";

/**
 * Why a call with `forecast` and `leftMs` before its deadline should not be
 * made, or undefined to make it (R-QOS-5): one that would wait must fit its
 * wait and planned time; one that would start at once is tried unless even its
 * typical time exceeds what is left. Engine queues admit by it, and the
 * ensemble skips providers by it before calling them: one rule, two places.
 */
export function admissionRefusal(engine: string, forecast: CallForecast, leftMs: number): string | undefined {
  const left = Math.max(0, Math.round(leftMs));
  if (forecast.waitMs <= 0) {
    return forecast.typicalMs > leftMs
      ? `engine ${engine} cannot answer in time: a typical call takes ${Math.round(forecast.typicalMs)} ms, more than the ${left} ms left`
      : undefined;
  }
  if (forecast.waitMs + forecast.serviceMs <= leftMs) return undefined;
  return `engine ${engine} is saturated: an expected wait of ${Math.round(forecast.waitMs)} ms and ${Math.round(forecast.serviceMs)} ms of work exceed the ${left} ms left`;
}
