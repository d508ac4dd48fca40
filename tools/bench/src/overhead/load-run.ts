import { LatencyRecording } from "./latency-recording.js";

/** One keep-alive connection: at most one request in flight; `done` gets the HTTP status, 0 for a failed exchange. */
export interface LoadConnection {
  send(done: (status: number) => void): void;
}

/** Time for the load generator: performance.now() and setTimeout in a run, a hand-driven clock in its specs. */
export interface LoadClock {
  now(): number;
  /** Calls `fn` once, `ms` from now; the returned function cancels the call. */
  after(ms: number, fn: () => void): () => void;
}

export const realLoadClock: LoadClock = {
  now: () => performance.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** What one load run measured. */
export interface LoadResult {
  /** Request to answer, from when the request was due to be sent (fixed rate: its place in the schedule). */
  readonly latency: LatencyRecording;
  /** Request to answer from when it was written: what a generator suffering coordinated omission reports. */
  readonly serviceTime: LatencyRecording;
  /** Requests answered (any status). */
  readonly completed: number;
  /** Answers whose status was not 2xx, and exchanges that failed (connection closed, refused). */
  readonly errors: number;
  /** `errors` by HTTP status ("429", "503" …), failed exchanges under FAILED_EXCHANGE; the counts sum to `errors`. */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  /** Scheduled requests still waiting for a connection or an answer when the run gave up on them. */
  readonly unfinished: number;
  /** From the first request to the last answer, ms. */
  readonly elapsedMs: number;
}

/** The key of `errorsByStatus` for an exchange that got no answer: connection refused, reset or closed, an answer that could not be framed. */
const FAILED_EXCHANGE = "failed";

/** Counts `status` in `into` when it is an error (not 2xx; 0 is a failed exchange) and says whether it was. */
function countError(into: Record<string, number>, status: number): boolean {
  if (status >= 200 && status <= 299) return false;
  const key = status === 0 ? FAILED_EXCHANGE : String(status);
  into[key] = (into[key] ?? 0) + 1;
  return true;
}

/** Adds the counts of `from` to `into`: errors by status merged over several runs. */
export function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
}

/** Answers per second over the run. */
export function throughput(result: LoadResult): number {
  return result.elapsedMs > 0 ? (result.completed / result.elapsedMs) * 1000 : 0;
}

/**
 * A closed loop: every connection sends its next request as soon as its last answer arrives, for
 * `durationMs`. The right tool for "how much can it serve with N connections", the wrong one for latency
 * under a given load (a slow answer delays the requests behind it, which are then never measured).
 */
export function closedLoop(connections: readonly LoadConnection[], durationMs: number, clock: LoadClock = realLoadClock): Promise<LoadResult> {
  const latency = new LatencyRecording();
  const errorsByStatus: Record<string, number> = {};
  let errors = 0;
  let busy = 0;
  const start = clock.now();
  let lastEnd = start;
  return new Promise((resolve) => {
    const loop = (connection: LoadConnection) => {
      if (clock.now() - start >= durationMs) {
        if (--busy === 0) resolve({ latency, serviceTime: latency, completed: latency.count, errors, errorsByStatus, unfinished: 0, elapsedMs: lastEnd - start });
        return;
      }
      const sentAt = clock.now();
      connection.send((status) => {
        lastEnd = clock.now();
        latency.add(lastEnd - sentAt);
        if (countError(errorsByStatus, status)) errors++;
        loop(connection);
      });
    };
    busy = connections.length;
    if (busy === 0) resolve({ latency, serviceTime: latency, completed: 0, errors: 0, errorsByStatus, unfinished: 0, elapsedMs: 0 });
    for (const connection of connections) loop(connection);
  });
}

export interface FixedRateOptions {
  /** Requests per second, spread evenly (request i is due at start + i / rate). */
  readonly rate: number;
  readonly durationMs: number;
  /** How long after the schedule ends to wait for answers still owed (default 5000 ms). */
  readonly drainMs?: number;
}

/**
 * An open loop at a fixed rate, wrk2-style: request i is due at start + i / rate whatever happened before,
 * waits for a free connection if every one is busy, and its latency runs from when it was due. A server that
 * stalls for a second therefore shows a second of latency on every request due in that second, not on the
 * one request that was in flight (coordinated-omission correction). `serviceTime` keeps the uncorrected view.
 */
export function fixedRate(connections: readonly LoadConnection[], options: FixedRateOptions, clock: LoadClock = realLoadClock): Promise<LoadResult> {
  const latency = new LatencyRecording();
  const serviceTime = new LatencyRecording();
  const interval = 1000 / options.rate;
  const total = Math.floor((options.rate * options.durationMs) / 1000);
  const idle = [...connections];
  // Due times of requests waiting for a connection, oldest first (head index: shift() is O(n)).
  const waiting: number[] = [];
  let head = 0;
  let scheduled = 0;
  let inFlight = 0;
  // Due time of the request each busy connection carries.
  const carrying = new Map<LoadConnection, number>();
  const errorsByStatus: Record<string, number> = {};
  let errors = 0;
  let finished = false;
  const start = clock.now();
  let lastEnd = start;

  return new Promise((resolve) => {
    let cancelDrain = () => {};
    const finish = () => {
      if (finished) return;
      finished = true;
      cancelDrain();
      // Whatever is still owed counts at the age it reached, so an overloaded run cannot look good by omission.
      const now = clock.now();
      const owed = waiting.length - head + inFlight + (total - scheduled);
      for (const due of carrying.values()) latency.add(now - due);
      for (let i = head; i < waiting.length; i++) latency.add(now - waiting[i]!);
      resolve({ latency, serviceTime, completed: serviceTime.count, errors, errorsByStatus, unfinished: owed, elapsedMs: lastEnd - start });
    };
    const settledAll = () => scheduled === total && inFlight === 0 && head === waiting.length;
    const fire = (connection: LoadConnection, due: number) => {
      inFlight++;
      carrying.set(connection, due);
      const sentAt = clock.now();
      connection.send((status) => {
        inFlight--;
        carrying.delete(connection);
        if (finished) return;
        lastEnd = clock.now();
        latency.add(lastEnd - due);
        serviceTime.add(lastEnd - sentAt);
        if (countError(errorsByStatus, status)) errors++;
        if (head < waiting.length) fire(connection, waiting[head++]!);
        else idle.push(connection);
        if (settledAll()) finish();
      });
    };
    const tick = () => {
      if (finished) return;
      const now = clock.now();
      while (scheduled < total && start + scheduled * interval <= now) {
        const due = start + scheduled * interval;
        scheduled++;
        const connection = idle.pop();
        if (connection) fire(connection, due);
        else waiting.push(due);
      }
      if (scheduled < total) clock.after(Math.max(0, start + scheduled * interval - now), tick);
      else if (settledAll()) finish();
    };
    cancelDrain = clock.after(options.durationMs + (options.drainMs ?? 5000), finish);
    tick();
  });
}
