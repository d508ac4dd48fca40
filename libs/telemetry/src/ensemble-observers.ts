import type { EnsembleObserver } from "@llm-pool/core";

/** One observer that tells each of `observers` everything (metrics and traces). */
export function ensembleObservers(...observers: readonly EnsembleObserver[]): EnsembleObserver {
  return {
    callStarted(call) {
      const ends = observers.map((o) => o.callStarted(call));
      return (end) => {
        for (const ended of ends) ended(end);
      };
    },
    decided(plan, outcome) {
      for (const o of observers) o.decided(plan, outcome);
    },
  };
}
