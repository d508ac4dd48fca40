import { exponentialGapMs, lognormal, seededRandom } from "../random.js";

/** One model on the engine, as the simulator or the mock engine serves it. */
export interface OverloadModel {
  /** Provider name in the pool's config. */
  readonly provider: string;
  /** Model name on the engine. */
  readonly model: string;
  /** Generation time, lognormal. */
  readonly work: { readonly p50: number; readonly p95: number };
}

/** A stretch of constant offered load. */
export interface LoadStep {
  readonly label: string;
  /** Offered load as a multiple of the engine's capacity, per tenant. */
  readonly perTenant: Readonly<Record<string, number>>;
  readonly seconds: number;
  /** Tenants whose clients ask for a shorter deadline_ms than the scenario's. */
  readonly deadlines?: Readonly<Record<string, number>>;
}

export interface OverloadScenario {
  readonly name: string;
  readonly description: string;
  /** Generations the engine runs at once (Ollama's OLLAMA_NUM_PARALLEL); the rest wait inside it. */
  readonly engineSlots: number;
  /** Answers per second the engine completes when always busy (slots / mean time of the primary). */
  readonly capacityPerSecond: number;
  /** In the FASTEST order of the task (the example config's FAST-LOW: phi3, then llama3.1). */
  readonly models: readonly OverloadModel[];
  readonly steps: readonly LoadStep[];
  /** The client's deadline_ms. */
  readonly deadlineMs: number;
  readonly seed: number;
}

/** One query as the client sends it. */
export interface OverloadQuery {
  readonly index: number;
  /** Scenario ms from the start. */
  readonly at: number;
  readonly step: number;
  readonly tenant: string;
  /** The client's deadline_ms. */
  readonly deadlineMs: number;
  /** Generation time per provider, drawn up front so every policy meets the same world. */
  readonly workMs: Readonly<Record<string, number>>;
}

/** The Mac mini: Ollama, two slots, ~400 ms an answer, so about five answers a second. */
const MODELS: readonly OverloadModel[] = [
  { provider: "ollama-phi3-mini", model: "phi3:mini", work: { p50: 380, p95: 520 } },
  { provider: "ollama-llama31-8b", model: "llama3.1:8b", work: { p50: 420, p95: 600 } },
];

const ramp = (multiples: readonly number[], seconds: number): LoadStep[] =>
  multiples.map((m, i) => ({ label: i === multiples.length - 1 && i > 0 ? `back to ${m}x` : `${m}x`, perTenant: { "": m }, seconds }));

/** Offered load from 0.5x to 3x capacity and back, one client population, 1.2 s deadlines. */
export function loadRamp(seconds = 60): OverloadScenario {
  return {
    name: "load-ramp",
    description: "one Mac mini (Ollama, 2 slots, ~400 ms an answer: 5 answers/s), FAST-LOW (phi3 then llama3.1), Poisson load, 1.2 s deadlines",
    engineSlots: 2,
    capacityPerSecond: 5,
    models: MODELS,
    steps: ramp([0.5, 1, 1.5, 2, 3, 0.5], seconds),
    deadlineMs: 1200,
    seed: 20_260_111,
  };
}

/**
 * Two tenants: first at the same rate (2/3 of the engine's capacity in all),
 * then "a" sends five times "b"'s rate (twice the capacity in all).
 */
export function tenantBurst(seconds = 120): OverloadScenario {
  return {
    ...loadRamp(),
    name: "tenant-burst",
    description: "tenants a and b at 1/3 of capacity each, then a at 5x b's rate (2x capacity in all); 1.2 s deadlines",
    steps: [
      { label: "a = b", perTenant: { a: 1 / 3, b: 1 / 3 }, seconds },
      { label: "a = 5 b", perTenant: { a: 5 / 3, b: 1 / 3 }, seconds },
    ],
    seed: 20_260_112,
  };
}

/**
 * The short-deadline attack (R-QOS-4): next to an ordinary client at half
 * the capacity, another sends twice as much with 450 ms deadlines (420 ms for
 * the engine) to an engine that answers in about 400 ms, so many of its calls
 * run out of time inside the engine; then it stops. (A deadline below the
 * engine's typical time is refused before any call; this one is let in.)
 */
export function shortDeadlines(seconds = 60): OverloadScenario {
  return {
    ...loadRamp(),
    name: "short-deadlines",
    description: "client app at 0.5x capacity with 1.2 s deadlines; client hasty joins at 1x with 450 ms deadlines, then leaves",
    steps: [
      { label: "app alone", perTenant: { app: 0.5 }, seconds },
      { label: "app + hasty", perTenant: { app: 0.5, hasty: 1 }, seconds, deadlines: { hasty: 450 } },
      { label: "app alone again", perTenant: { app: 0.5 }, seconds },
    ],
    seed: 20_260_113,
  };
}

/** Every query of a scenario, drawn from its seed in a fixed order. */
export function drawOverloadQueries(scenario: OverloadScenario): OverloadQuery[] {
  const random = seededRandom(scenario.seed);
  const works = scenario.models.map((m) => [m.provider, lognormal(m.work.p50, m.work.p95)] as const);
  const queries: OverloadQuery[] = [];
  let start = 0;
  scenario.steps.forEach((step, stepIndex) => {
    const end = start + step.seconds * 1000;
    for (const [tenant, multiple] of Object.entries(step.perTenant)) {
      const rate = multiple * scenario.capacityPerSecond;
      for (let at = start + exponentialGapMs(random, rate); at < end; at += exponentialGapMs(random, rate)) {
        const workMs = Object.fromEntries(works.map(([provider, draw]) => [provider, draw(random)]));
        queries.push({ index: 0, at, step: stepIndex, tenant, deadlineMs: step.deadlines?.[tenant] ?? scenario.deadlineMs, workMs });
      }
    }
    start = end;
  });
  return queries.sort((a, b) => a.at - b.at).map((q, index) => ({ ...q, index }));
}

/** The prompt of query `index`, as the bench sends it; the simulated engine reads its draws back from it. */
export function promptOf(query: OverloadQuery): string {
  return `query #${query.index}`;
}

/** The query a prompt of `promptOf` was sent for. */
export function queryOfPrompt(queries: readonly OverloadQuery[], prompt: string): OverloadQuery | undefined {
  return queries[Number(/#(\d+)/.exec(prompt)?.[1])];
}
