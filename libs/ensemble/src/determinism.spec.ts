import { planFor, providers, ScriptedProvider, withoutLatencies } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { FakeClock, type EnsembleOutcome, type EnsembleSettings, type OutputSpec, type StrategyName } from "@llm-pool/core";
import { createEnsemble } from "./registry.js";
import { seededShuffle } from "./seeded-random.js";

const RUNS = 200;
const FAIL = Symbol("fail");
type Script = readonly (string | typeof FAIL)[];

interface Scenario {
  readonly strategy: StrategyName;
  readonly answers: Script;
  readonly settings?: Partial<EnsembleSettings>;
  readonly output?: OutputSpec;
  /**
   * WEIGHTED stops as soon as no slower provider could win, so with answers
   * spread in time the losers it cancelled vary: only the winner is stable
   * then (checked below). Same-instant arrivals must still be identical.
   */
  readonly sameInstantOnly?: boolean;
}

/**
 * Runs one scenario with the answers arriving in the order `seed` shuffles
 * them: `spacingMs` apart, or all in the same instant when 0.
 */
async function runOnce(scenario: Scenario, seed: number, spacingMs: number): Promise<{ outcome: EnsembleOutcome; judgePrompt?: string }> {
  const clock = new FakeClock();
  const list = providers(...scenario.answers.map((_, i) => `engine-${i + 1}`));
  const judge = new ScriptedProvider("referee");
  const ensemble = createEnsemble({ judges: () => judge });
  const plan = planFor(clock, scenario.strategy, list, {
    seed: 1234,
    ...(scenario.output ? { output: scenario.output } : {}),
    settings: { judgeProvider: "referee", ...scenario.settings },
  });
  const run = ensemble.run(plan);
  await clock.advance(0);
  for (const p of list) expect([p.lastRequest.temperature, p.lastRequest.seed]).toEqual([0, 1234]);
  for (const i of seededShuffle([...scenario.answers.keys()], seed)) {
    if (spacingMs > 0) await clock.advance(spacingMs);
    const provider = list[i]!;
    if (provider.inFlight === 0) continue;
    const answer = scenario.answers[i]!;
    if (answer === FAIL) provider.fail("HTTP 500");
    else provider.answer(answer);
  }
  await clock.advance(0);
  let judgePrompt: string | undefined;
  if (judge.inFlight > 0) {
    judgePrompt = judge.lastRequest.prompt;
    // This judge prefers the answer that calls itself the best.
    const id = /\[answer (\w+)\]\n[^\n]*best/.exec(judgePrompt)![1]!;
    await clock.advance(25);
    judge.answer(JSON.stringify({ winner_id: id, confidence: 0.7, reason: "says it is the best" }));
  }
  return { outcome: await run, ...(judgePrompt === undefined ? {} : { judgePrompt }) };
}

const SCENARIOS: Record<string, Scenario> = {
  "VOTING, two clusters of two tied on size, the tighter one later in order": {
    strategy: "VOTING",
    answers: [
      "slow burn ambient lounge with warm pastel light",
      "bright synth pop for a sunny morning drive",
      "slow burn ambient lounge with warm pastel lights",
      "Bright synth pop, for a sunny morning drive!",
      FAIL,
    ],
  },
  "CONSENSUS below threshold on JSON answers, decided by VOTING": {
    strategy: "CONSENSUS",
    output: { kind: "json" },
    settings: { consensusThreshold: 0.8 },
    answers: [
      '{"ranking":["c1","c2","c3"],"reasons":["pace"]}',
      '{"reasons":["Pace"],"ranking":["c1","c2","c3"]}',
      '{"ranking":["c1","c3","c2"],"reasons":["pace"]}',
      '{"ranking":["c3","c2","c1"],"reasons":["variety"]}',
    ],
  },
  "JUDGE over four answers": {
    strategy: "JUDGE",
    answers: ["answer one", "answer two", "the best answer", FAIL],
  },
  "WEIGHTED with a failing favourite": {
    strategy: "WEIGHTED",
    settings: { weights: { "engine-1": 3, "engine-2": 1, "engine-3": 1 } },
    answers: [FAIL, "second engine's answer", "third engine's answer"],
    sameInstantOnly: true,
  },
};

describe("determinism (R-ENS-5)", () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(`${name}: ${RUNS} shuffled arrival orders, one outcome`, async () => {
      const first = await runOnce(scenario, 0, scenario.sameInstantOnly ? 0 : 10);
      const expected = withoutLatencies(first.outcome);
      for (let seed = 1; seed < RUNS; seed++) {
        const spacing = seed % 2 === 0 && !scenario.sameInstantOnly ? 10 : 0;
        const { outcome, judgePrompt } = await runOnce(scenario, seed, spacing);
        expect(withoutLatencies(outcome), `seed ${seed}`).toBe(expected);
        expect(judgePrompt).toBe(first.judgePrompt);
      }
    });
  }

  it("the expected winners: size tie by cohesion, JSON canonical forms, the judge's pick, the best weight", async () => {
    const winners = await Promise.all(
      Object.values(SCENARIOS).map(async (s) => {
        const { outcome } = await runOnce(s, 0, 0);
        return [outcome.strategyApplied, outcome.winnerId, outcome.fallbacks.map((f) => f.reason).join(",")];
      }),
    );
    expect(winners).toEqual([
      ["VOTING", "c2", ""],
      ["VOTING", "c1", "below_threshold"],
      ["JUDGE", "c3", ""],
      ["WEIGHTED", "c2", ""],
    ]);
  });

  it("early stops keep the winner whatever the arrival order, though who was cancelled may differ", async () => {
    const quorum: Scenario = {
      strategy: "VOTING",
      answers: ["the night drive", "The night drive!", "a sunrise", "the night drive.", "neon"],
    };
    for (const scenario of [quorum, SCENARIOS["WEIGHTED with a failing favourite"]!]) {
      const decisions = new Set<string>();
      const cancelled = new Set<string>();
      for (let seed = 0; seed < RUNS; seed++) {
        const { outcome } = await runOnce(scenario, seed, 10);
        decisions.add(JSON.stringify([outcome.strategyApplied, outcome.winnerId, outcome.output, outcome.fallbacks]));
        cancelled.add(outcome.candidates.filter((c) => c.status === "cancelled").map((c) => c.id).join(","));
      }
      expect(decisions.size).toBe(1);
      expect(cancelled.size).toBeGreaterThan(1);
    }
  });
});
