import { hashString } from "./seeded-random.js";

/**
 * WEIGHTED's budget for exploring: queries that also wait for a rival the
 * scores say is not worth waiting for, so that its track record stays fresh
 * and a provider that recovers is noticed.
 */
export interface ExplorationPolicy {
  /** One query in this many explores, chosen by a hash of its request id; 0 turns exploring off. */
  readonly every: number;
  /** An exploring query waits for the rival it explores at most this part of its budget. */
  readonly waitShare: number;
}

export const DEFAULT_EXPLORATION: ExplorationPolicy = Object.freeze({ every: 20, waitShare: 0.5 });

/** Whether this query explores: a function of its request id, so a retry of the same request does the same. */
export function isExploring(requestId: string, policy: ExplorationPolicy): boolean {
  const every = Math.floor(policy.every);
  return every >= 1 && hashString(requestId) % every === 0;
}
