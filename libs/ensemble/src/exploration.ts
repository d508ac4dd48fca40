import { hashString } from "./seeded-random.js";

/**
 * The budget for exploring: queries that call providers the track record
 * says are not worth waiting for, so that its estimates of them stay fresh
 * and a provider that recovers is noticed (WEIGHTED's rivals, JUDGE's late
 * candidates).
 */
export interface ExplorationPolicy {
  /** One query in this many explores, chosen by a hash of its request id; 0 turns exploring off. */
  readonly every: number;
  /** WEIGHTED: an exploring query waits for the rival it explores at most this part of its budget. */
  readonly waitShare: number;
}

export const DEFAULT_EXPLORATION: ExplorationPolicy = Object.freeze({ every: 20, waitShare: 0.5 });

/** Whether this query explores: a function of its request id, so a retry of the same request does the same. */
export function isExploring(requestId: string, policy: ExplorationPolicy): boolean {
  const every = Math.floor(policy.every);
  return every >= 1 && hashString(requestId) % every === 0;
}
