import type { BreakerConfig } from "@llm-pool/config";
import { exponentialGapMs, lognormal, seededRandom } from "../random.js";
import type { SimCall, SimEngineSpec } from "./sim-engine.js";

export interface SimProviderSpec {
  /** Also the model's name on its engine. */
  readonly name: string;
  readonly engine: string;
  /** Generation time at full speed, lognormal. */
  readonly work: { readonly p50: number; readonly p95: number };
  readonly coldLoadMs: number;
  /** Chance, at each query's arrival, that the engine drops this model if it is idle (memory pressure). */
  readonly evictionRate: number;
  /** Unannounced stalls: a share of calls sit in their slot, computing nothing, for a lognormal time. */
  readonly stall?: { readonly probability: number; readonly p50: number; readonly p95: number };
  /** Share of calls that never answer (a dead provider), and that fail fast. */
  readonly hang?: number;
  readonly error?: number;
}

export interface SimScenario {
  readonly name: string;
  readonly description: string;
  readonly engines: readonly SimEngineSpec[];
  /** In hedge order: the first is every query's primary. */
  readonly providers: readonly SimProviderSpec[];
  /** Poisson arrivals. */
  readonly ratePerSecond: number;
  /** The engine budget of a query: deadline_ms minus deadline_margin_ms. */
  readonly deadlineMs: number;
  readonly requests: number;
  readonly seed: number;
  readonly breaker: BreakerConfig;
}

/** Everything random about one query, drawn before any mode runs so every mode meets the same world. */
export interface QueryDraws {
  readonly at: number;
  /** Providers the engine drops (if idle) as this query arrives. */
  readonly evict: readonly string[];
  readonly calls: ReadonlyMap<string, SimCall>;
}

/** The seed's [breaker] defaults (R-QOS-1). */
export const DEFAULT_BREAKER: BreakerConfig = { window_size: 50, failure_rate: 0.1, min_calls: 10, open_ms: 300_000, max_open_ms: 300_000, half_open_probes: 1, slow_factor: 2 };

/**
 * Draws every query of a scenario from its seed, in a fixed order (every
 * number is drawn whether used or not), so a run repeats exactly and the
 * modes compared side by side see the same arrivals, work and stalls.
 */
export function drawQueries(scenario: SimScenario): QueryDraws[] {
  const random = seededRandom(scenario.seed);
  const works = new Map(scenario.providers.map((p) => [p.name, lognormal(p.work.p50, p.work.p95)]));
  const stalls = new Map(scenario.providers.map((p) => [p.name, p.stall ? lognormal(p.stall.p50, p.stall.p95) : undefined]));
  const queries: QueryDraws[] = [];
  let at = 0;
  for (let i = 0; i < scenario.requests; i++) {
    at += exponentialGapMs(random, scenario.ratePerSecond);
    const evict: string[] = [];
    const calls = new Map<string, SimCall>();
    for (const p of scenario.providers) {
      if (random() < p.evictionRate) evict.push(p.name);
      const workMs = works.get(p.name)!(random);
      const stalled = random() < (p.stall?.probability ?? 0);
      const stall = stalls.get(p.name);
      // Two uniforms either way, so adding a stall to one provider leaves the others' draws alone.
      const stallDraw = stall ? stall(random) : random() * random() * 0;
      const u = random();
      const fault = u < (p.hang ?? 0) ? "hang" : u < (p.hang ?? 0) + (p.error ?? 0) ? "error" : undefined;
      calls.set(p.name, {
        model: p.name,
        coldLoadMs: p.coldLoadMs,
        workMs,
        stallMs: stalled ? stallDraw : 0,
        ...(fault ? { fault } : {}),
      });
    }
    queries.push({ at, evict, calls });
  }
  return queries;
}
