import { LatencyRecording, type LatencyPercentiles } from "../overhead/latency-recording.js";
import { benchDir, startMockProcess, startPoolProcess } from "../overhead/overhead-world.js";
import { metricValues } from "./metrics-text.js";
import { replayQueries, type QueryOutcome, type ScheduledQuery } from "./query-replay.js";

export interface FaultsBenchOptions {
  /** Queries in all (default 1200), spread evenly over tasks and tenants. */
  readonly queries?: number;
  /** Queries per second (default 20). */
  readonly rate?: number;
  readonly seed?: number;
}

/** One task and tenant's queries. */
export interface FaultsRow {
  readonly task: string;
  readonly tenant: string;
  readonly queries: number;
  /** Ended in deadline_exceeded (HTTP 504). */
  readonly timeouts: number;
  /** Any other failure. */
  readonly failed: number;
  readonly timeoutRate: number;
  readonly latency: LatencyPercentiles;
}

export interface FaultsReport {
  readonly rate: number;
  readonly rows: readonly FaultsRow[];
  /** Times a breaker opened, from the pool's own llmpool_breaker_open_total. */
  readonly breakerOpens: number;
  /** Failures other than timeouts, by the error body's code. */
  readonly otherFailures: Readonly<Record<string, number>>;
  /** Generation calls each model got (the flaky one is skipped while its breaker is open). */
  readonly engineCalls: Readonly<Record<string, number>>;
}

const TASKS = ["TASK_EXPAND_QUERIES", "TASK_SITE_TACTICS"] as const;
const TENANTS = ["vvtv", "lab"] as const;
const FLAKY = "flaky-7b";
const STEADY = "steady-3b";

/**
 * The seed's fault scenario through the shipped pool: of two providers on one engine, the primary fails 20% of
 * its calls (HTTP 500) and hangs on 5%; FASTEST with the shipped hedging, breakers and deadlines in front.
 * The figure is the timeout rate per task and tenant (the seed's bound: under 10%).
 */
export async function faultsBench(options: FaultsBenchOptions = {}): Promise<FaultsReport> {
  const total = options.queries ?? 1200;
  const rate = options.rate ?? 20;
  const dir = benchDir();
  const mock = await startMockProcess(dir.path, scenario(options.seed ?? 7));
  try {
    const pool = await startPoolProcess(dir.path, poolToml(mock.url));
    try {
      const queries: ScheduledQuery[] = Array.from({ length: total }, (_, i) => ({
        atMs: (i * 1000) / rate,
        query: { task: TASKS[i % TASKS.length], tenantId: TENANTS[Math.floor(i / TASKS.length) % TENANTS.length], prompt: `fault drill ${i}` },
      }));
      const outcomes = await replayQueries(pool.url, queries);
      const metrics = await (await fetch(`${pool.url}/metrics`)).text();
      const record = (await (await fetch(`${mock.url}/__mock/record`)).json()) as { entries: { model?: string; route: string }[] };
      const engineCalls: Record<string, number> = {};
      for (const e of record.entries) if (e.model && e.route.includes("completions")) engineCalls[e.model] = (engineCalls[e.model] ?? 0) + 1;
      const otherFailures: Record<string, number> = {};
      for (const o of outcomes) if (o.status !== 200 && o.code !== "deadline_exceeded") otherFailures[o.code ?? "?"] = (otherFailures[o.code ?? "?"] ?? 0) + 1;
      return { rate, rows: rowsOf(outcomes), breakerOpens: metricValues(metrics, "llmpool_breaker_open_total").reduce((a, b) => a + b, 0), otherFailures, engineCalls };
    } finally {
      await pool.stop();
    }
  } finally {
    await mock.stop();
    dir.remove();
  }
}

function rowsOf(outcomes: readonly QueryOutcome[]): FaultsRow[] {
  return TASKS.flatMap((task) =>
    TENANTS.map((tenant) => {
      const mine = outcomes.filter((o) => o.query.task === task && o.query.tenantId === tenant);
      const latency = new LatencyRecording();
      for (const o of mine) latency.add(o.ms);
      const timeouts = mine.filter((o) => o.code === "deadline_exceeded").length;
      return {
        task,
        tenant,
        queries: mine.length,
        timeouts,
        failed: mine.filter((o) => o.status !== 200 && o.code !== "deadline_exceeded").length,
        timeoutRate: mine.length === 0 ? 0 : timeouts / mine.length,
        latency: latency.summary(),
      };
    }),
  );
}

/** The sum of a counter's samples in a Prometheus exposition. */
/** A Mac-mini-like engine: two models with lognormal times; the primary fails 20% and hangs 5% of its calls. */
function scenario(seed: number): string {
  const latency = { kind: "lognormal", p50_ms: 150, p95_ms: 400 };
  return JSON.stringify({
    seed,
    slots: 8,
    models: {
      [FLAKY]: { family: "flaky", latency, faults: { probabilities: { http_500: 0.2, hang: 0.05 } } },
      [STEADY]: { family: "steady", latency },
    },
  });
}

/** FASTEST over the flaky primary and the steady second, everything else as shipped (hedge, breaker, deadline). */
function poolToml(engineUrl: string): string {
  const provider = (name: string, model: string) => `
[[providers]]
name = "${name}"
driver = "openai"
base_url = "${engineUrl}"
model = "${model}"
engine = "mac-mini"
max_concurrency = 8
`;
  return `[server]
listen = "127.0.0.1:0"
shutdown_grace_ms = 1000

[cache]
enabled = false
${provider("flaky", FLAKY)}${provider("steady", STEADY)}
[tasks.expand_queries]
strategy = "FASTEST"
providers = ["flaky", "steady"]
output = "json"

[tasks.site_tactics]
strategy = "FASTEST"
providers = ["flaky", "steady"]
output = "text"

[tenancy]
auth = "none"
allow_unauthenticated = true
`;
}
