/** One query of a replayed workload: when it is due (ms from the start) and its REST body (Query as JSON). */
export interface ScheduledQuery {
  readonly atMs: number;
  readonly query: Readonly<Record<string, unknown>>;
}

/** What became of one query. */
export interface QueryOutcome {
  readonly query: ScheduledQuery["query"];
  /** HTTP status; 0 when no response came. */
  readonly status: number;
  /** From when the query was due to its answer (open loop: a late start counts). */
  readonly ms: number;
  /** The answer's `fromCache` (false for errors). */
  readonly fromCache: boolean;
  /** The error body's code ("deadline_exceeded", …) for a status other than 200. */
  readonly code?: string;
}

/**
 * Sends each query to the pool's `POST /v1/infer` at its due time, whatever the earlier ones are doing (an open
 * loop, so a slow answer does not hold back the queries behind it), and waits for every answer. Keep-alive
 * connections through the bench's own fetch: replays run at tens of queries a second, far below what would make
 * the client's cost matter.
 */
export async function replayQueries(baseUrl: string, queries: readonly ScheduledQuery[]): Promise<QueryOutcome[]> {
  const start = performance.now();
  const pending = queries.map(
    (scheduled) =>
      new Promise<QueryOutcome>((resolve) => {
        setTimeout(() => void send(baseUrl, scheduled, start + scheduled.atMs).then(resolve), Math.max(0, start + scheduled.atMs - performance.now()));
      }),
  );
  return Promise.all(pending);
}

async function send(baseUrl: string, scheduled: ScheduledQuery, dueAt: number): Promise<QueryOutcome> {
  try {
    const res = await fetch(`${baseUrl}/v1/infer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(scheduled.query),
    });
    const body = (await res.json()) as { fromCache?: boolean; code?: string };
    const ms = performance.now() - dueAt;
    return res.status === 200
      ? { query: scheduled.query, status: 200, ms, fromCache: body.fromCache === true }
      : { query: scheduled.query, status: res.status, ms, fromCache: false, code: String(body.code) };
  } catch {
    return { query: scheduled.query, status: 0, ms: performance.now() - dueAt, fromCache: false, code: "no response" };
  }
}
