import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@llm-pool/deploy-e2e";
import { LatencyRecording, type LatencyPercentiles } from "../overhead/latency-recording.js";
import { benchDir, startMockProcess, startPoolProcess } from "../overhead/overhead-world.js";
import { replayQueries, type ScheduledQuery } from "./query-replay.js";

/** The workload the cache's own spec replays on a virtual clock; here it goes through the pool over HTTP. */
export const CACHE_WORKLOAD = "testdata/workloads/zipf-s1.1-200p-1000r.json";
const ENGINE_MS = 50;
/** The shipped `[cache] default_ttl_ms`. */
const DEFAULT_TTL_MS = 600_000;

export interface CacheBenchOptions {
  /**
   * Real time per workload time (default 0.02: the 29-minute workload in about 35 s). The cache TTL is scaled
   * by the same factor, so which queries find a live entry is what it would be at full length.
   */
  readonly timeScale?: number;
}

export interface CacheReport {
  readonly workload: string;
  readonly timeScale: number;
  readonly ttlMs: number;
  readonly queries: number;
  readonly hits: number;
  readonly hitRatio: number;
  /** Generation calls the engine saw: misses, minus identical queries in flight that shared one call. */
  readonly engineCalls: number;
  readonly failed: number;
  readonly hitLatency: LatencyPercentiles;
  readonly missLatency: LatencyPercentiles;
}

interface Workload {
  readonly name: string;
  readonly requests: readonly { readonly at_ms: number; readonly query: Record<string, unknown> }[];
}

/**
 * Replays the workload of repeated prompts through the pool with its answer cache on (memory store, shipped
 * defaults but the scaled TTL) in front of a 50 ms engine: the hit ratio, and what a hit costs next to a miss.
 */
export async function cacheBench(options: CacheBenchOptions = {}): Promise<CacheReport> {
  const timeScale = options.timeScale ?? 0.02;
  const ttlMs = Math.max(1, Math.round(DEFAULT_TTL_MS * timeScale));
  const workload = JSON.parse(readFileSync(join(REPO_ROOT, CACHE_WORKLOAD), "utf8")) as Workload;
  const dir = benchDir();
  const mock = await startMockProcess(dir.path, scenario());
  try {
    const pool = await startPoolProcess(dir.path, poolToml(mock.url, ttlMs));
    try {
      const queries: ScheduledQuery[] = workload.requests.map((r) => ({ atMs: r.at_ms * timeScale, query: r.query }));
      const outcomes = await replayQueries(pool.url, queries);
      const record = (await (await fetch(`${mock.url}/__mock/record`)).json()) as { entries: { route: string }[] };
      const hit = new LatencyRecording();
      const miss = new LatencyRecording();
      for (const o of outcomes) if (o.status === 200) (o.fromCache ? hit : miss).add(o.ms);
      return {
        workload: workload.name,
        timeScale,
        ttlMs,
        queries: outcomes.length,
        hits: hit.count,
        hitRatio: hit.count / outcomes.length,
        engineCalls: record.entries.filter((e) => e.route.includes("completions")).length,
        failed: outcomes.filter((o) => o.status !== 200).length,
        hitLatency: hit.summary(),
        missLatency: miss.summary(),
      };
    } finally {
      await pool.stop();
    }
  } finally {
    await mock.stop();
    dir.remove();
  }
}

function scenario(): string {
  return JSON.stringify({ seed: 1, slots: 64, models: { "bench-50ms": { family: "bench", latency: { kind: "fixed", ms: ENGINE_MS } } } });
}

function poolToml(engineUrl: string, ttlMs: number): string {
  return `[server]
listen = "127.0.0.1:0"
shutdown_grace_ms = 1000

[cache]
enabled = true
driver = "memory"
default_ttl_ms = ${ttlMs}

[[providers]]
name = "engine"
driver = "openai"
base_url = "${engineUrl}"
model = "bench-50ms"
max_concurrency = 64

[tasks.expand_queries]
output = "json"

[tasks.site_tactics]
output = "text"

[tasks.enrich_metadata]
output = "json"

[tenancy]
auth = "none"
allow_unauthenticated = true
`;
}
