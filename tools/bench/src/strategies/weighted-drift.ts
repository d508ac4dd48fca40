import {
  Deadline,
  FakeClock,
  type EnsembleOutcome,
  type Provider,
  type ProviderRequest,
  type ProviderResult,
} from "@llm-pool/core";
import { createEnsemble, DEFAULT_EXPLORATION, isExploring } from "@llm-pool/ensemble";
import { seededRandom, type Random } from "../random.js";
import { percentile } from "../stats.js";
import { alignTable, ms, pct } from "../table.js";

/** What the leading provider does wrong between `degradeAt` and `recoverAt`. */
export interface DriftScenario {
  readonly name: string;
  readonly description: string;
  /** Added to the leader's latency on `slowShare` of its calls. */
  readonly slowMs?: number;
  readonly slowShare?: number;
  /** Share of the leader's calls that return an answer failing validation. */
  readonly invalidShare?: number;
  /** Only the first call after `degradeAt` goes wrong (the rest of the phase is healthy). */
  readonly once?: boolean;
}

export const DRIFT_SCENARIOS: readonly DriftScenario[] = [
  {
    name: "leader slows down",
    description: "+1500 ms on 70% of the leader's calls",
    slowMs: 1500,
    slowShare: 0.7,
  },
  {
    name: "leader breaks its output",
    description: "70% of the leader's answers fail validation",
    invalidShare: 0.7,
  },
  {
    name: "one invalid answer",
    description: "the leader's first answer after query 100 fails validation, then it is healthy again",
    invalidShare: 1,
    once: true,
  },
];

export interface DriftOptions {
  /** Queries per run, one after another. Default 300. */
  readonly queries?: number;
  /** First query of the degraded phase. Default 100. */
  readonly degradeAt?: number;
  /** First query after the leader recovered. Default 200. */
  readonly recoverAt?: number;
  /** The queries' deadline budget. Default 2500 ms: a slow call (up to 1800 ms) still fits. */
  readonly deadlineMs?: number;
  readonly seed?: number;
  readonly scenarios?: readonly DriftScenario[];
}

export interface DriftRow {
  readonly scenario: string;
  readonly exploration: boolean;
  /** Degraded-phase queries until WEIGHTED answered with the rival for good (0: at once); undefined: never. */
  readonly movedAfter: number | undefined;
  /** Recovered-phase queries until WEIGHTED answered with the leader for good; undefined: never. */
  readonly backAfter: number | undefined;
  /** p50 latency (ms) before, during and after the degradation. */
  readonly p50: readonly [number, number, number];
  /** Queries that explored (one in 20 by request id, when on). */
  readonly explored: number;
  /** Exploring queries that answered later than their winner's answer arrived: they waited for the rival. */
  readonly paid: number;
  readonly queries: number;
}

const LEADER = "v1";
const RIVAL = "v2";
/** The config prefers the leader; both answer in 20-300 ms when healthy. */
const WEIGHTS = { [LEADER]: 1, [RIVAL]: 0.8 };

/**
 * WEIGHTED learning under a leader that degrades then recovers: two providers
 * on idle engines, queries one after another through the real ensemble on a
 * virtual clock (deterministic for a seed, independent of the machine's
 * load). Each scenario runs with exploration on (the default: one query in
 * 20) and off; both meet the same random draws.
 */
export async function weightedDrift(options: DriftOptions = {}): Promise<DriftRow[]> {
  const rows: DriftRow[] = [];
  for (const scenario of options.scenarios ?? DRIFT_SCENARIOS) {
    for (const exploration of [true, false]) rows.push(await driftRun(scenario, exploration, options));
  }
  return rows;
}

async function driftRun(scenario: DriftScenario, exploration: boolean, options: DriftOptions): Promise<DriftRow> {
  const queries = options.queries ?? 300;
  const degradeAt = options.degradeAt ?? 100;
  const recoverAt = options.recoverAt ?? 200;
  const deadlineMs = options.deadlineMs ?? 2500;
  const clock = new FakeClock(0);
  const random = seededRandom(options.seed ?? 21);
  let query = 0;
  const degraded = () => (scenario.once ? query === degradeAt : query >= degradeAt && query < recoverAt);
  const leader = new DriftProvider(LEADER, clock, random, () => (degraded() ? scenario : undefined));
  const rival = new DriftProvider(RIVAL, clock, random, () => undefined);
  const ensemble = createEnsemble({ clock, ...(exploration ? {} : { exploration: { every: 0 } }) });

  const winners: string[] = [];
  const latencies: number[] = [];
  let explored = 0;
  let paid = 0;
  for (query = 0; query < queries; query++) {
    const requestId = `drift-${query}`;
    const startedAt = clock.now();
    const deadline = new Deadline(clock, startedAt + deadlineMs);
    let outcome: EnsembleOutcome | undefined;
    let endedAt = startedAt;
    void ensemble
      .run({
        requestId,
        task: "expand_queries",
        strategy: "WEIGHTED",
        providers: [leader, rival],
        request: { task: "expand_queries", prompt: `query ${query}`, maxTokens: 64, temperature: 0, output: { kind: "json" } },
        deadline,
        clock,
        startedAt,
        hedgeAfterMs: 350,
        ensemble: { weights: WEIGHTS, maxParallel: 2 },
      })
      .then((o) => {
        outcome = o;
        endedAt = clock.now();
      }, () => {});
    await clock.advance(deadlineMs);
    deadline.dispose();
    const winner = outcome?.candidates.find((c) => c.id === outcome!.winnerId);
    winners.push(winner?.provider ?? "none");
    latencies.push(endedAt - startedAt);
    if (exploration && isExploring(requestId, DEFAULT_EXPLORATION)) {
      explored++;
      if (winner && endedAt - startedAt > winner.latencyMs) paid++;
    }
  }
  const p50 = (from: number, to: number) => percentile([...latencies.slice(from, to)].sort((a, b) => a - b), 0.5);
  return {
    scenario: scenario.name,
    exploration,
    movedAfter: settledAfter(winners, RIVAL, degradeAt, scenario.once ? degradeAt + 1 : recoverAt),
    backAfter: settledAfter(winners, LEADER, scenario.once ? degradeAt + 1 : recoverAt, queries),
    p50: [p50(0, degradeAt), p50(degradeAt, recoverAt), p50(recoverAt, queries)],
    explored,
    paid,
    queries,
  };
}

/**
 * Queries from `from` until `provider` won every query up to `to` (0: from
 * the first); undefined when it had not by then.
 */
function settledAfter(winners: readonly string[], provider: string, from: number, to: number): number | undefined {
  let lastOther = from - 1;
  for (let i = from; i < to; i++) if (winners[i] !== provider) lastOther = i;
  return lastOther === to - 1 ? undefined : lastOther + 1 - from;
}

/** A provider on an idle engine of its own: 20-300 ms, and whatever its scenario adds while degraded. */
class DriftProvider implements Provider {
  readonly driver = "bench";
  readonly engine: string;
  readonly model: string;

  constructor(
    readonly name: string,
    private readonly clock: FakeClock,
    private readonly random: Random,
    private readonly trouble: () => DriftScenario | undefined,
  ) {
    this.engine = `${name}-box`;
    this.model = `${name}-model`;
  }

  supports(): boolean {
    return true;
  }

  infer(_request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    // Every draw is made on every call, so a run with exploration and one without meet the same world.
    const base = 20 + this.random() * 280;
    const slow = this.random();
    const broken = this.random();
    const trouble = this.trouble();
    const delay = base + (trouble?.slowMs !== undefined && slow < (trouble.slowShare ?? 0) ? trouble.slowMs : 0);
    const text = trouble?.invalidShare !== undefined && broken < trouble.invalidShare ? "{broken" : `{"from":"${this.name}"}`;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        cancel();
        reject(signal.reason);
      };
      const cancel = this.clock.setTimer(delay, () => {
        signal.removeEventListener("abort", onAbort);
        resolve({ text, model: this.model, usage: { promptTokens: 40, completionTokens: 8 }, finishReason: "stop" });
      });
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** The drift table: one row per scenario and exploration setting. */
export function formatDriftTable(rows: readonly DriftRow[]): string {
  const queriesOrNever = (n: number | undefined) => (n === undefined ? "never" : String(n));
  const cells = rows.map((r) => [
    r.scenario,
    r.exploration ? "1 in 20" : "off",
    queriesOrNever(r.movedAfter),
    queriesOrNever(r.backAfter),
    ms(r.p50[0]),
    ms(r.p50[1]),
    ms(r.p50[2]),
    pct(r.explored / Math.max(1, r.queries)),
    pct(r.paid / Math.max(1, r.queries)),
  ]);
  return alignTable(
    ["scenario", "exploration", "moved after", "back after", "p50 before", "p50 during", "p50 after", "explored", "paid"],
    cells,
  );
}
