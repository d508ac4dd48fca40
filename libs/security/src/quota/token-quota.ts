const DAY_MS = 86_400_000;

/** The UTC day a time falls in, as "YYYYMMDD" (the quota's window). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");
}

/** Milliseconds from `ms` to the next UTC midnight, when every daily quota starts again. */
export function msUntilNextUtcDay(ms: number): number {
  return DAY_MS - (ms % DAY_MS);
}

/** How long a day's counter outlives its first write: the day, and one more for settlements arriving late. */
export const QUOTA_COUNTER_TTL_MS = 2 * DAY_MS;

/**
 * Tokens counted per tenant per UTC day (R-SEC-6). The count is the usage
 * of the answers already settled plus the reservations of the queries still
 * in flight, so concurrent queries see each other before any has answered.
 */
export interface TokenQuotaStore {
  /** The tenant's count for the current UTC day. */
  usedToday(tenantId: string): Promise<number>;
  /**
   * If the tenant's count is below `limit`, adds `tokens` to it, in one
   * atomic step: of many concurrent reservations only those that find the
   * count below the limit are admitted. Rejects when the store cannot answer.
   */
  reserve(tenantId: string, tokens: number, limit: number): Promise<QuotaDecision>;
}

export type QuotaDecision =
  | { readonly admitted: true; readonly hold: QuotaHold }
  | { readonly admitted: false; /** The count that refused it. */ readonly used: number };

/** A reservation counted in the tenant's day until it is settled. */
export interface QuotaHold {
  /**
   * Replaces the reserved tokens with `usedTokens` (0 releases them all),
   * on the day they were reserved in and in the store that holds them.
   */
  settle(usedTokens: number): Promise<void>;
}
