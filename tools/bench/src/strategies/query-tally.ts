import { AsyncLocalStorage } from "node:async_hooks";
import type { Provider, ProviderRequest, Usage } from "@llm-pool/core";

/** The engine calls one query made and the tokens they returned, the judge's kept apart. */
export class QueryTally {
  candidateCalls = 0;
  judgeCalls = 0;
  candidateTokens = 0;
  judgeTokens = 0;

  get calls(): number {
    return this.candidateCalls + this.judgeCalls;
  }

  get tokens(): number {
    return this.candidateTokens + this.judgeTokens;
  }
}

export type CallRole = "candidate" | "judge";

// Queries of one strategy run side by side on one ensemble; each call is booked to the query whose run made it.
const current = new AsyncLocalStorage<QueryTally>();

/** Runs `fn` (one query's ensemble run) so that every call it makes is booked to `tally`. */
export function withTally<T>(tally: QueryTally, fn: () => Promise<T>): Promise<T> {
  return current.run(tally, fn);
}

/**
 * The provider as it is, except that each call is counted in the tally of the
 * query that made it, with the tokens the engine reported (prompt and
 * completion). A call that fails or is cancelled counts as a call without
 * tokens: the pool never learns what the engine spent on it.
 */
export function tallied(provider: Provider, role: CallRole): Provider {
  return {
    name: provider.name,
    driver: provider.driver,
    model: provider.model,
    engine: provider.engine,
    supports: (task) => provider.supports(task),
    ...(provider.hasFreeSlot ? { hasFreeSlot: () => provider.hasFreeSlot!() } : {}),
    // The engine queue's forecast and the model's residency, which admission, FASTEST and JUDGE plan with.
    ...(provider.forecast ? { forecast: (request: ProviderRequest) => provider.forecast!(request) } : {}),
    ...(provider.isResident ? { isResident: () => provider.isResident!() } : {}),
    async infer(request, signal) {
      const tally = current.getStore();
      if (tally) book(tally, role, "call");
      const result = await provider.infer(request, signal);
      if (tally) book(tally, role, result.usage);
      return result;
    },
  };
}

function book(tally: QueryTally, role: CallRole, what: "call" | Usage): void {
  const tokens = what === "call" ? 0 : what.promptTokens + what.completionTokens;
  if (role === "judge") {
    if (what === "call") tally.judgeCalls++;
    tally.judgeTokens += tokens;
  } else {
    if (what === "call") tally.candidateCalls++;
    tally.candidateTokens += tokens;
  }
}
