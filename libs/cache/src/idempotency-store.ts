/** What a client request_id holds when a request tries to take it. */
export type LeaseView =
  /** The id was free: this request holds the lease and runs. */
  | { readonly kind: "acquired" }
  /** Another request holds the lease and is still running. */
  | { readonly kind: "pending"; readonly fingerprint: string }
  /** Finished: the stored Answer's protobuf binary, replayed as is. */
  | { readonly kind: "done"; readonly fingerprint: string; readonly answer: Uint8Array };

export interface LeaseRequest {
  /** The query's fingerprint: a different query under the same id is a conflict. */
  readonly fingerprint: string;
  /** Who holds the lease (a random token per attempt), so only the holder finishes or releases it. */
  readonly owner: string;
  /** How long an unfinished lease lives, so a crashed holder does not block the id for the whole TTL. */
  readonly leaseMs: number;
}

export interface LeaseResult {
  readonly fingerprint: string;
  readonly owner: string;
  readonly answer: Uint8Array;
  /** How long the finished Answer is replayed (`[cache] idempotency_ttl_ms`). */
  readonly ttlMs: number;
}

/**
 * Leases and finished answers by client request_id (R-CACHE-2).
 * Implementations: `memory` (this process) and `redis` (`SET NX PX`, shared by
 * every replica). Errors (a Redis outage) are thrown; the guard applies the
 * configured behaviour.
 */
export interface IdempotencyStore {
  /** Takes the lease when the id is free (atomically), or tells what holds it. */
  acquire(key: string, lease: LeaseRequest): Promise<LeaseView>;
  /** Replaces the holder's lease by the finished Answer; false when another request holds the id now. */
  complete(key: string, result: LeaseResult): Promise<boolean>;
  /** Drops the holder's unfinished lease (its run failed), so a retry can run. */
  release(key: string, owner: string): Promise<void>;
}

/** The stored form of one id (JSON, so `redis-cli GET` shows what an id holds). */
export interface LeaseRecord {
  /** "p" pending, "d" done. */
  readonly s: "p" | "d";
  readonly fp: string;
  readonly o: string;
  /** The Answer's protobuf binary, base64, when done. */
  readonly a?: string;
}

export function viewOf(record: LeaseRecord): LeaseView {
  return record.s === "d"
    ? { kind: "done", fingerprint: record.fp, answer: new Uint8Array(Buffer.from(record.a ?? "", "base64")) }
    : { kind: "pending", fingerprint: record.fp };
}

export function doneRecord(result: LeaseResult): LeaseRecord {
  return { s: "d", fp: result.fingerprint, o: result.owner, a: Buffer.from(result.answer).toString("base64") };
}
