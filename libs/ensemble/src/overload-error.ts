import { Code, NoProviderError, PoolError, type CandidateRecord } from "@llm-pool/core";

/**
 * Every provider of a query was skipped because its engine could not answer
 * in time (R-QOS-5): 429 / RESOURCE_EXHAUSTED, refused at once, with
 * Retry-After in the error's headers (every edge sends them) and a message
 * naming the engines and why.
 */
export class EngineSaturatedError extends PoolError {
  readonly retryAfterMs: number;

  constructor(task: string, records: readonly Pick<CandidateRecord, "provider" | "status" | "error">[], retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    const why = records.map((r) => `${r.provider}: ${r.status}${r.error ? ` (${r.error})` : ""}`).join("; ");
    super(Code.ResourceExhausted, `no provider can answer task ${task} in time; retry after ${seconds} s: ${why}`, {
      headers: { "retry-after": String(seconds) },
      stack: false,
    });
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The refusal for a query none of whose calls reached an engine: 429 when at
 * least one engine was saturated, else (every breaker open) 503 saying when
 * each breaker probes next; undefined when some call ran, since then the
 * engines, not the pool, decided.
 */
export function refusalOf(task: string, records: readonly CandidateRecord[], retryAfterMs: readonly number[]): PoolError | undefined {
  const refused = records.length > 0 && records.every((r) => r.status === "saturated" || r.status === "breaker_open");
  if (!refused) return undefined;
  if (records.some((r) => r.status === "saturated")) {
    return new EngineSaturatedError(task, records, retryAfterMs.length > 0 ? Math.min(...retryAfterMs) : 1000);
  }
  return new NoProviderError(task, records.map((r) => ({ provider: r.provider, reason: r.error ?? "circuit breaker open" })));
}
