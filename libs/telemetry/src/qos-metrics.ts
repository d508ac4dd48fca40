import { Counter, Gauge, type Registry } from "prom-client";

/** One engine's admission state at a scrape. */
export interface EngineSample {
  readonly engine: string;
  /** Calls allowed at once now: learned, at most max_concurrency. */
  readonly limit: number;
  readonly maxConcurrency: number;
  readonly active: number;
  readonly waiting: number;
}

/**
 * What shows overload (docs/QOS.md): how every engine call ended, by outcome
 * class (R-QOS-4), and each engine's learned limit, calls in flight and calls
 * waiting in its fair queue (R-QOS-5). Registered on the pool's one registry.
 */
export interface QosMetrics {
  /** One engine call's end: ok, engine_fault, engine_slow, caller_gave_up, caller_rejected or overload. */
  observeCallEnd(provider: string, task: string, end: string): void;
  /** Reports the engine gauges from `source` at each scrape; a later call replaces the source. */
  watchEngines(source: () => readonly EngineSample[]): void;
}

export function createQosMetrics(registry: Registry): QosMetrics {
  const callEnds = new Counter({
    name: "llmpool_call_end_total",
    help: "Engine calls by how they ended: ok, engine_fault, engine_slow (these two count toward breakers), caller_gave_up, caller_rejected, overload.",
    labelNames: ["provider", "task", "end"] as const,
    registers: [registry],
  });
  let engines: () => readonly EngineSample[] = () => [];
  const gauge = (name: string, help: string, read: (e: EngineSample) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["engine"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const e of engines()) this.set({ engine: e.engine }, read(e));
      },
    });
  gauge("llmpool_engine_concurrency_limit", "Calls each engine is allowed at once now, learned from its latency (at most max_concurrency).", (e) => e.limit);
  gauge("llmpool_engine_max_concurrency", "The configured upper bound of each engine's concurrency.", (e) => e.maxConcurrency);
  gauge("llmpool_engine_in_flight", "Calls running on each engine.", (e) => e.active);
  gauge("llmpool_engine_queued", "Calls waiting for a slot on each engine, in its fair queue.", (e) => e.waiting);
  return {
    observeCallEnd(provider, task, end) {
      callEnds.inc({ provider, task, end });
    },
    watchEngines(source) {
      engines = source;
    },
  };
}
