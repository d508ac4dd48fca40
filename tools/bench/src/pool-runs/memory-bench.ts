import { availableParallelism } from "node:os";
import { fixedRate } from "../overhead/load-run.js";
import { pinSelf } from "../overhead/pinned-process.js";
import { memory } from "../overhead/process-stats.js";
import { rawConnections } from "../overhead/raw-http-connection.js";
import { startOverheadWorld } from "../overhead/overhead-world.js";
import { metricValues } from "./metrics-text.js";

export interface MemoryBenchOptions {
  /** Requests sent in all (default 1 000 000). */
  readonly requests?: number;
  /** Fixed rate, req/s (default 500). */
  readonly rate?: number;
  /** How often RSS and heap are sampled, ms (default 2000). */
  readonly sampleEveryMs?: number;
}

/** One sample of the pool process. */
export interface MemorySample {
  /** Seconds since the run started. */
  readonly atS: number;
  readonly rss: number;
  /** V8 heap in use, from the pool's own /metrics; NaN when it does not say. */
  readonly heapUsed: number;
  /** V8 heap committed (in use or not), from the same /metrics; NaN when it does not say. */
  readonly heapTotal: number;
  /** Memory outside the V8 heap that JavaScript objects hold (Buffers and the like), from the same /metrics. */
  readonly external: number;
}

export interface MemoryReport {
  readonly requests: number;
  readonly rate: number;
  readonly answered: number;
  /** Answers other than 2xx, failed exchanges and requests still unanswered when the run ended. */
  readonly errors: number;
  /** The answers and failed exchanges among `errors` by HTTP status, failed exchanges under "failed". */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  /** The requests among `errors` still unanswered when the run ended. */
  readonly unanswered: number;
  readonly samples: readonly MemorySample[];
  /** Median RSS over the first tenth of the samples after warm-up and over the last tenth, and their ratio. */
  readonly rss: Drift;
  readonly heap: Drift;
  readonly heapTotal: Drift;
  readonly external: Drift;
}

export interface Drift {
  readonly early: number;
  readonly late: number;
  readonly ratio: number;
}

/** The share of the run that counts as warm-up (JIT, pools and caches filling) before flatness is judged. */
const WARM_UP_SHARE = 0.1;
/** The pool's own gauges (prom-client's process metrics under the pool's prefix). */
const HEAP_USED = "llmpool_process_nodejs_heap_size_used_bytes";
const HEAP_TOTAL = "llmpool_process_nodejs_heap_size_total_bytes";
const EXTERNAL = "llmpool_process_nodejs_external_memory_bytes";

/** A gauge's value; NaN when the exposition does not have it. */
const gauge = (exposition: string, name: string) => metricValues(exposition, name)[0] ?? Number.NaN;

/**
 * The pool at a steady fixed rate for many requests (default a million), its RSS and heap sampled as it goes:
 * memory that grows with the number of requests served shows as a late median above the early one.
 */
export async function memoryBench(options: MemoryBenchOptions = {}): Promise<MemoryReport> {
  const requests = options.requests ?? 1_000_000;
  const rate = options.rate ?? 500;
  const cpus = availableParallelism();
  const restore = pinSelf(cpus >= 3 ? "2" : "1");
  const world = await startOverheadWorld({ serverCpus: "0", mockCpus: cpus >= 2 ? "1" : "0" });
  const pool = world.pool.process;
  const samples: MemorySample[] = [];
  const start = performance.now();
  const sample = async () => {
    const text = await fetch(`${pool.url}/metrics`)
      .then((res) => res.text())
      .catch(() => "");
    samples.push({
      atS: (performance.now() - start) / 1000,
      rss: memory(pool.pid).rss,
      heapUsed: gauge(text, HEAP_USED),
      heapTotal: gauge(text, HEAP_TOTAL),
      external: gauge(text, EXTERNAL),
    });
    // The mock keeps a record of every request; cleared so its memory does not grow with the run.
    await fetch(`${world.mock.process.url}/__mock/reset`, { method: "POST" }).catch(() => undefined);
  };
  const timer = setInterval(() => void sample(), options.sampleEveryMs ?? 2000);
  try {
    await sample();
    const connections = rawConnections(pool.url, world.pool.request("instant"), 64);
    const result = await fixedRate(connections, { rate, durationMs: (requests / rate) * 1000 });
    for (const c of connections) c.close();
    clearInterval(timer);
    await sample();
    const settled = samples.filter((s) => s.atS >= (samples.at(-1)!.atS * WARM_UP_SHARE));
    return {
      requests,
      rate,
      answered: result.completed,
      errors: result.errors + result.unfinished,
      errorsByStatus: result.errorsByStatus,
      unanswered: result.unfinished,
      samples,
      rss: drift(settled.map((s) => s.rss)),
      heap: drift(settled.map((s) => s.heapUsed)),
      heapTotal: drift(settled.map((s) => s.heapTotal)),
      external: drift(settled.map((s) => s.external)),
    };
  } finally {
    clearInterval(timer);
    await world.close();
    restore.undo();
  }
}

function drift(values: readonly number[]): Drift {
  const tenth = Math.max(1, Math.floor(values.length / 10));
  const early = median(values.slice(0, tenth));
  const late = median(values.slice(-tenth));
  return { early, late, ratio: late / early };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
}
