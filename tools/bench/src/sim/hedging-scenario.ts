import { exponentialGapMs, lognormal, seededRandom } from "../random.js";
import type { SimCall, SimEngineSpec } from "./sim-engine.js";

/** A model on a simulated engine, timed in tokens as a real one is. */
export interface SimModel {
  /** The provider's name in the pool's config. */
  readonly provider: string;
  /** The model's name on its engine. */
  readonly model: string;
  readonly engine: string;
  /** Tokens a second it generates, alone on its engine. */
  readonly generatedPerSecond: number;
  /** Tokens a second of prompt it reads before its first token. */
  readonly promptPerSecond: number;
  /** Time to load the model when it is not resident, lognormal, clamped to `coldLoadRangeMs`. */
  readonly coldLoad: { readonly p50: number; readonly p95: number };
  /** Chance, at each query's arrival, that the engine drops this model if it is idle (memory pressure). */
  readonly evictionRate: number;
  /** Unannounced stalls: a share of calls sit in their slot, computing nothing, for a lognormal time. */
  readonly stall?: { readonly probability: number; readonly p50: number; readonly p95: number };
  /** From query `fromQuery` on, this share of calls hangs (no answer until cancelled) or fails at once (HTTP 500). */
  readonly fault?: { readonly fromQuery: number; readonly share: number; readonly kind: "hang" | "error" };
}

export interface HedgingScenario {
  readonly name: string;
  readonly description: string;
  readonly engines: readonly SimEngineSpec[];
  /** In hedge order: the task's providers. */
  readonly models: readonly SimModel[];
  /** Tokens of each query's prompt (the task's template with the client's text). */
  readonly promptTokens: number;
  /** Tokens of each answer. */
  readonly answerTokens: number;
  /** Poisson arrivals. */
  readonly ratePerSecond: number;
  /** The client's deadline_ms (the engines get it minus deadline_margin_ms). */
  readonly deadlineMs: number;
  readonly requests: number;
  readonly seed: number;
}

/** Everything random about one query, drawn before any mode runs so every mode meets the same world. */
export interface HedgingQuery {
  readonly index: number;
  readonly at: number;
  /** Models the engine drops (if idle) as this query arrives. */
  readonly evict: readonly string[];
  /** The call each provider would make, by provider name. */
  readonly calls: ReadonlyMap<string, SimCall>;
}

/** Cold loads of a model on a Mac mini take from 0.6 s (phi3:mini from the SSD cache) to 10 s. */
export const COLD_LOAD_RANGE_MS = [600, 10_000] as const;

/** Speed varies from call to call (sampling, cache, thermals): a lognormal factor, median 1, p95 1.25. */
const JITTER = lognormal(1, 1.25);

/** A model's time for one call at full speed: its prompt read, then its answer generated. */
export function serviceMs(model: SimModel, promptTokens: number, answerTokens: number): number {
  return (promptTokens / model.promptPerSecond + answerTokens / model.generatedPerSecond) * 1000;
}

/**
 * Draws every query of a scenario from its seed in a fixed order (every
 * number is drawn whether used or not), so a run repeats exactly and the
 * modes compared side by side see the same arrivals, speeds, loads and stalls.
 */
export function drawHedgingQueries(scenario: HedgingScenario): HedgingQuery[] {
  const random = seededRandom(scenario.seed);
  const loads = new Map(scenario.models.map((m) => [m.provider, lognormal(m.coldLoad.p50, m.coldLoad.p95)]));
  const stalls = new Map(scenario.models.map((m) => [m.provider, lognormal(m.stall?.p50 ?? 1, m.stall?.p95 ?? 2)]));
  const [minLoad, maxLoad] = COLD_LOAD_RANGE_MS;
  const queries: HedgingQuery[] = [];
  let at = 0;
  for (let index = 0; index < scenario.requests; index++) {
    at += exponentialGapMs(random, scenario.ratePerSecond);
    const evict: string[] = [];
    const calls = new Map<string, SimCall>();
    for (const m of scenario.models) {
      if (random() < m.evictionRate) evict.push(m.model);
      const workMs = serviceMs(m, scenario.promptTokens, scenario.answerTokens) * JITTER(random);
      const coldLoadMs = Math.min(maxLoad, Math.max(minLoad, loads.get(m.provider)!(random)));
      const stalled = random() < (m.stall?.probability ?? 0);
      const stallMs = stalls.get(m.provider)!(random);
      const faulty = random() < (m.fault && index >= m.fault.fromQuery ? m.fault.share : 0);
      calls.set(m.provider, { model: m.model, coldLoadMs, workMs, stallMs: stalled ? stallMs : 0, ...(faulty ? { fault: m.fault!.kind } : {}) });
    }
    queries.push({ index, at, evict, calls });
  }
  return queries;
}
