import type { EnsembleOutcome } from "./ensemble.js";
import type { Usage } from "./provider.js";

/**
 * Tokens spent by a whole decision: every candidate's and the judge's
 * verdict. The Answer's `total_usage`, and what a tenant's daily quota counts.
 */
export function totalUsage(outcome: Pick<EnsembleOutcome, "candidates" | "judge">): Usage {
  return [...outcome.candidates.map((c) => c.usage), outcome.judge?.usage].reduce<Usage>(
    (sum, u) => ({
      promptTokens: sum.promptTokens + (u?.promptTokens ?? 0),
      completionTokens: sum.completionTokens + (u?.completionTokens ?? 0),
    }),
    { promptTokens: 0, completionTokens: 0 },
  );
}
