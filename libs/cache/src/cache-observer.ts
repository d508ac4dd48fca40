/** Why a query did not use the cache. */
export type CacheBypass = "disabled" | "task_off" | "no_store";

/** Why a computed answer was not stored. */
export type NotStoredReason = "not_cacheable" | "too_large" | "store_down";

/** The Redis-backed parts, for error metrics. */
export type MemoStoreName = "cache" | "idempotency";

/** What the idempotency stage did with one query that carried a client request_id. */
export type IdempotencyOutcome =
  /** First of its id: ran the pipeline. */
  | "first"
  /** A finished id: the stored Answer was replayed. */
  | "replayed"
  /** A concurrent duplicate: waited for the first and got its Answer. */
  | "waited"
  /** The same id with a different query: refused with Code.Conflict. */
  | "conflict"
  /** A duplicate still in flight when the wait bound ran out: refused with Code.Conflict. */
  | "in_flight"
  /** The store was down and the guard fails open: ran without idempotency. */
  | "bypassed"
  /** The store was down and the guard fails closed: refused with Code.Unavailable. */
  | "refused";

/**
 * What the cache and idempotency stages report, for metrics and logs. This
 * package stays free of any metrics library; the composition root maps these
 * calls to prom-client (libs/telemetry). Every method is optional.
 */
export interface CacheObserver {
  /** A lookup found a live entry. */
  hit?(task: string): void;
  /** A lookup found nothing; this query runs the ensemble (and leads any identical concurrent ones). */
  miss?(task: string): void;
  /** An identical miss was already running in this process; this query shared its Answer. */
  coalesced?(task: string): void;
  /** The cache was not consulted. */
  bypassed?(task: string, reason: CacheBypass): void;
  /** An answer was stored (`bytes` of protobuf binary). */
  stored?(task: string, bytes: number): void;
  /** An answer was computed but not stored. */
  notStored?(task: string, reason: NotStoredReason): void;
  /**
   * Redis failed (timeout, refused connection, …) and is now skipped for a
   * short while: once per outage (calls in flight together are reported
   * once, then once per hold-down while it lasts), not once per failed call.
   * Also an entry that would not decode (`operation` "decode").
   */
  storeFailed?(store: MemoStoreName, operation: string, error: unknown): void;
  idempotency?(outcome: IdempotencyOutcome): void;
}
