import { TimedProvider } from "@llm-pool/ensemble/test-support";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LatencyTracker } from "@llm-pool/qos";
import {
  Deadline,
  FakeClock,
  PoolError,
  type EnsembleOutcome,
  type EnsemblePlan,
  type EnsembleSettings,
  type JudgeFallback,
  type OutputSpec,
  type ProviderRequest,
  type StrategyName,
} from "@llm-pool/core";
import { decideWithFallbacks } from "./fallback-chain.js";
import type { Gathered } from "./gather.js";
import { createEnsemble, resolveDeps, type EnsembleDeps } from "./registry.js";
import { judgeCandidates } from "./judge-ballot.js";
import { createRunContext } from "./run-context.js";
import { TrackRecord } from "./track-record.js";

// The determinism harness (R-ENS-5): random cluster shapes, answer variants and arrival
// times, each world replayed under many arrival orders. Only the decision must be the same
// every time; which calls were cancelled and how long they took are observations.

const DEADLINE_MS = 5000;
const TASK = "site_tactics";
const FAIL = "fail" as const;
const INVALID = "invalid" as const;

/** What one provider answers: a variant of a family's answer, an invalid answer, or an error. */
type Script = { readonly family: number; readonly variant: number } | typeof FAIL | typeof INVALID;

interface World {
  readonly strategy: StrategyName;
  readonly output: "text" | "json";
  readonly scripts: readonly Script[];
  readonly maxParallel: number;
  readonly consensusThreshold: number;
  readonly weights: readonly number[];
  readonly judge: "picks" | "garbage" | "fails";
  readonly judgeFallback: JudgeFallback;
  readonly requestId: string;
  /** Each provider's latency in the track record as the query starts (none: never seen). */
  readonly history: readonly (number | undefined)[];
  /** Whether the judge has five verdicts of 300 ms on record (its window is then planned from them). */
  readonly judgeRecord: boolean;
}

const PHRASES = ["the night drive", "a sunrise over the hills", "neon rain on the city", "quiet forest at dawn"];

/** Near-duplicates: most normalise to the same text, the last two only come close. */
function textVariant(family: number, variant: number): string {
  const p = PHRASES[family % PHRASES.length]!;
  const variants = [
    p,
    `${p[0]!.toUpperCase()}${p.slice(1)}!`,
    `${p}.`,
    p.toUpperCase(),
    `  ${p}  `,
    `${p} tonight`,
    p.split(" ").slice(1).join(" "),
  ];
  return variants[variant % variants.length]!;
}

/** The same JSON object written in other key orders, cases and number spellings, or slightly changed. */
function jsonVariant(family: number, variant: number): string {
  const terms = [["dusk", "neon"], ["sunrise", "hills"], ["rain", "city"], ["forest", "fog"]][family % 4]!;
  const mood = ["calm", "bright", "dark", "soft"][family % 4]!;
  const variants = [
    `{"terms":["${terms[0]}","${terms[1]}"],"mood":"${mood}","n":3}`,
    `{"mood":"${mood}","n":3,"terms":["${terms[0]}","${terms[1]}"]}`,
    `{"n":3.0000000000001,"terms":["${terms[0]}","${terms[1]}"],"mood":"${mood.toUpperCase()}"}`,
    `{ "terms": [ "${terms[0]}", "${terms[1]}" ], "mood": "${mood}", "n": 3 }`,
    `{"terms":["${terms[1]}","${terms[0]}"],"mood":"${mood}","n":3}`,
    `{"terms":["${terms[0]}"],"mood":"${mood}","n":4}`,
  ];
  return variants[variant % variants.length]!;
}

function answerOf(world: World, script: Script): string | undefined {
  if (script === FAIL) return undefined;
  if (script === INVALID) return world.output === "json" ? '{"terms": [' : "   ";
  return world.output === "json" ? jsonVariant(script.family, script.variant) : textVariant(script.family, script.variant);
}

/** This judge prefers the longest answer it is shown (the first of them on a tie), or misbehaves as told. */
function judgeReply(world: World): (request: ProviderRequest) => string | undefined {
  return (request) => {
    if (world.judge === "fails") return undefined;
    if (world.judge === "garbage") return "I like them all";
    const shown = [...request.prompt.matchAll(/\[answer (\w+)\]\n([\s\S]*?)\n\[end of answer \1\]/g)];
    const best = shown.reduce((a, b) => (b[2]!.length > a[2]!.length ? b : a));
    return JSON.stringify({ winner_id: best[1], confidence: 0.75, reason: "the longest" });
  };
}

function settingsOf(world: World): Partial<EnsembleSettings> {
  return {
    maxParallel: world.maxParallel,
    consensusThreshold: world.consensusThreshold,
    weights: Object.fromEntries(world.weights.map((w, i) => [`p${i + 1}`, w])),
    judgeProvider: "referee",
    judgeFallback: world.judgeFallback,
  };
}

/** A run's result: its outcome, or the error it failed with. */
type Result = EnsembleOutcome | { readonly failed: string };

function planOf(world: World, clock: FakeClock, list: readonly TimedProvider[]): EnsemblePlan {
  return {
    requestId: world.requestId,
    task: TASK,
    strategy: world.strategy,
    providers: list,
    request: { task: TASK, prompt: "name the tactic", maxTokens: 64, temperature: 0, seed: 7, output: { kind: world.output } },
    deadline: new Deadline(clock, clock.now() + DEADLINE_MS),
    clock,
    startedAt: clock.now(),
    hedgeAfterMs: 300,
    ensemble: settingsOf(world),
  };
}

function worldProviders(world: World, clock: FakeClock, delays: readonly number[]): TimedProvider[] {
  return world.scripts.map((s, i) => new TimedProvider(`p${i + 1}`, clock, delays[i] ?? 0, () => answerOf(world, s)));
}

/** A fresh ensemble's dependencies, with the world's history: every run of a world starts from the same. */
function depsOf(world: World, clock: FakeClock): EnsembleDeps {
  const judge = new TimedProvider("referee", clock, 20, judgeReply(world));
  const track = new TrackRecord();
  world.history.forEach((ms, i) => ms !== undefined && track.observe(TASK, `p${i + 1}`, "ok", ms));
  const judgeVerdicts = new LatencyTracker();
  if (world.judgeRecord) for (let i = 0; i < 5; i++) judgeVerdicts.record("referee", TASK, 300);
  return { judges: (name) => (name === "referee" ? judge : undefined), track, judgeVerdicts };
}

/** Runs to the end on the fake clock; a rejection becomes the result. */
async function settle(clock: FakeClock, running: Promise<EnsembleOutcome>): Promise<Result> {
  let result: Result | undefined;
  running.then(
    (outcome) => (result = outcome),
    (error: unknown) => (result = { failed: error instanceof PoolError ? `${error.code}: ${error.message}` : String(error) }),
  );
  await clock.advance(DEADLINE_MS);
  return result!;
}

/** One run of the world with each provider answering `delays[i]` ms after its call starts. */
function runWith(world: World, delays: readonly number[]): Promise<Result> {
  const clock = new FakeClock();
  const plan = planOf(world, clock, worldProviders(world, clock, delays));
  return settle(clock, createEnsemble(depsOf(world, clock)).run(plan));
}

/**
 * The decision as a function of every provider's answer: the strategy's
 * decision steps over all the answers at once, no gathering, no early stop.
 */
function decisionOverAllAnswers(world: World): Promise<Result> {
  const clock = new FakeClock();
  const list = worldProviders(world, clock, []);
  const plan = planOf(world, clock, list);
  const deps = resolveDeps(depsOf(world, clock));
  const ctx = createRunContext(plan, deps);
  // JUDGE calls, from history alone, its ballot, and a stand-in for each ballot candidate that fails
  // (none is late here: every answer is in at once); the others never answer.
  const policy = world.strategy === "JUDGE" ? judgeCandidates(ctx) : undefined;
  const heldBack = new Set(policy?.standIns?.heldBack ?? []);
  const notCalled = (index: number, reason: string): Gathered => {
    const provider = list[index]!;
    const record = { id: `c${index + 1}`, provider: provider.name, model: provider.model, latencyMs: 0, score: 0, hedged: false };
    return { index, callMs: 0, record: { ...record, status: "cancelled" as const, error: reason } };
  };
  const answered = (index: number): Gathered => {
    const text = answerOf(world, world.scripts[index]!);
    const check = text === undefined ? undefined : deps.validator.check(text, plan.request.output);
    const status = check === undefined ? "error" : check.ok ? "ok" : "invalid";
    const error = check === undefined ? "HTTP 500" : check.ok ? undefined : check.reason;
    return {
      index,
      callMs: 0,
      ...(text === undefined ? {} : { text }),
      record: {
        id: `c${index + 1}`,
        provider: list[index]!.name,
        model: list[index]!.model,
        latencyMs: 0,
        status,
        score: 0,
        hedged: false,
        ...(error === undefined ? {} : { error }),
        ...(text === undefined ? {} : { usage: { promptTokens: 5, completionTokens: 3 } }),
      },
    };
  };
  const byIndex = new Map<number, Gathered>();
  world.scripts.forEach((_, index) => {
    if (heldBack.has(index)) return;
    const reason = policy?.leaveOut?.(index);
    byIndex.set(index, reason === undefined ? answered(index) : notCalled(index, reason));
  });
  const inOrder = () => [...byIndex.values()].sort((a, b) => a.index - b.index);
  const nextStandIn = () => policy?.standIns?.next(inOrder(), plan.startedAt, () => plan.startedAt);
  for (let index = nextStandIn(); index !== undefined; index = nextStandIn()) byIndex.set(index, answered(index));
  for (const index of heldBack) if (!byIndex.has(index)) byIndex.set(index, notCalled(index, policy!.standIns!.reason));
  const gathered = inOrder();
  return settle(clock, decideWithFallbacks(ctx, world.strategy, gathered));
}

/** When every provider was called and none was cut short, the rest of the outcome but the latencies must match too. */
function observationsOf(result: Result, providers: number): string | undefined {
  if ("failed" in result || result.candidates.length < providers) return undefined;
  if (result.candidates.some((c) => c.status === "cancelled")) return undefined;
  return JSON.stringify({ agreement: result.agreement, candidates: result.candidates.map(({ latencyMs: _, ...rest }) => rest) });
}

/** What must not depend on arrival order: the answer, who gave it, how it was decided. */
function decisionOf(result: Result): string {
  if ("failed" in result) return result.failed;
  const outcome = result;
  const { judge } = outcome;
  return JSON.stringify({
    strategyApplied: outcome.strategyApplied,
    winnerId: outcome.winnerId,
    output: outcome.output,
    fallbacks: outcome.fallbacks,
    judge: judge && { winnerId: judge.winnerId, confidence: judge.confidence, reason: judge.reason, status: judge.status },
  });
}

const script: fc.Arbitrary<Script> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(FAIL) },
  { weight: 1, arbitrary: fc.constant(INVALID) },
  // One family dominates, so that majorities (and early quorums) are common; ties between families still happen.
  { weight: 8, arbitrary: fc.record({ family: fc.constantFrom(0, 0, 0, 1, 2), variant: fc.integer({ min: 0, max: 6 }) }) },
);

const world: fc.Arbitrary<World> = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.record({
    strategy: fc.constantFrom<StrategyName>("VOTING", "CONSENSUS", "WEIGHTED", "JUDGE"),
    output: fc.constantFrom<"text" | "json">("text", "json"),
    scripts: fc.array(script, { minLength: n, maxLength: n }),
    maxParallel: fc.integer({ min: 1, max: n }),
    consensusThreshold: fc.constantFrom(0.5, 0.66, 0.8),
    weights: fc.array(fc.constantFrom(0.5, 1, 2), { minLength: n, maxLength: n }),
    judge: fc.constantFrom<World["judge"]>("picks", "picks", "garbage", "fails"),
    judgeFallback: fc.constantFrom<JudgeFallback>("VOTING", "WEIGHTED", "FASTEST"),
    requestId: fc.integer({ min: 1, max: 60 }).map((i) => `request-${i}`),
    // 4500 ms: a candidate JUDGE does not wait for (the judge would not keep twice its time after it).
    history: fc.array(fc.constantFrom(undefined, 100, 300, 4500), { minLength: n, maxLength: n }),
    judgeRecord: fc.boolean(),
  }),
);

/** Arrival times on a 25 ms grid, so that answers often land in the same instant. */
const delays = fc.array(fc.integer({ min: 0, max: 16 }).map((k) => k * 25), { minLength: 6, maxLength: 6 });

/** Every permutation of the n providers as arrival orders, `spacingMs` apart. */
function permutationDelays(n: number, spacingMs: number): number[][] {
  const orders: number[][] = [];
  const permute = (rest: number[], done: number[]) => {
    if (rest.length === 0) return void orders.push(done);
    rest.forEach((x, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...done, x]));
  };
  permute([...Array(n).keys()], []);
  return orders.map((order) => {
    const at = new Array<number>(n);
    order.forEach((provider, rank) => (at[provider] = (rank + 1) * spacingMs));
    return at;
  });
}

const nightDrive = (variant: number): Script => ({ family: 0, variant });

function fixedWorld(strategy: StrategyName, scripts: readonly Script[], extra: Partial<World> = {}): World {
  return {
    strategy,
    output: "text",
    scripts,
    maxParallel: scripts.length,
    consensusThreshold: 0.66,
    weights: scripts.map(() => 1),
    judge: "picks",
    judgeFallback: "VOTING",
    requestId: "request-1",
    history: scripts.map(() => undefined),
    judgeRecord: false,
    ...extra,
  };
}

describe("arrival order never changes the decision (R-ENS-5)", () => {
  it("VOTING over 'the night drive', 'The night drive!', 'the night drive.': one answer in every arrival order", async () => {
    const w = fixedWorld("VOTING", [nightDrive(0), nightDrive(1), nightDrive(2)]);
    const outputs = new Set<string>();
    for (const order of [...permutationDelays(3, 10), ...permutationDelays(3, 0)]) {
      const outcome = (await runWith(w, order)) as EnsembleOutcome;
      outputs.add(`${outcome.winnerId} ${outcome.output}`);
    }
    expect([...outputs]).toEqual(["c1 the night drive"]);
  });

  it("VOTING and CONSENSUS with a four-answer cluster among five providers: one answer in all 120 orders", async () => {
    const scripts = [nightDrive(1), { family: 1, variant: 0 }, nightDrive(0), nightDrive(2), nightDrive(3)];
    for (const strategy of ["VOTING", "CONSENSUS"] as const) {
      const decisions = new Set<string>();
      for (const order of permutationDelays(5, 10)) decisions.add(decisionOf(await runWith(fixedWorld(strategy, scripts), order)));
      expect(decisions.size, strategy).toBe(1);
      expect(JSON.parse([...decisions][0]!)).toMatchObject({ strategyApplied: strategy, winnerId: "c1", output: "The night drive!" });
    }
  });

  it("JUDGE sees the same answers in every order: who is waited for comes from history, not from arrivals", async () => {
    // p1 is known to take 4500 ms (after the 3500 ms window) and is left out; p2 and p3 are unknown: waited for.
    const w = fixedWorld("JUDGE", [{ family: 1, variant: 0 }, nightDrive(0), { family: 2, variant: 0 }], {
      history: [4500, undefined, undefined],
    });
    const decisions = new Set<string>();
    for (const order of permutationDelays(3, 100)) decisions.add(decisionOf(await runWith(w, order)));
    expect([...decisions]).toEqual([decisionOf(await decisionOverAllAnswers(w))]);
    // This judge prefers the longest answer it is shown: p1's would have been, but p1 was not called.
    expect(JSON.parse([...decisions][0]!)).toMatchObject({ strategyApplied: "JUDGE", winnerId: "c3" });
  });

  it("JUDGE with a stand-in: a ballot candidate that fails is replaced by the same stand-in, whatever order the answers come in", async () => {
    // p1 and p2 make the ballot; p3 (3000 ms, before the 3500 ms window) is held back and steps in when p1's answer is invalid.
    const w = fixedWorld("JUDGE", [INVALID, nightDrive(0), { family: 2, variant: 0 }], { history: [100, 300, 3000] });
    const decisions = new Set<string>();
    for (const order of [...permutationDelays(3, 100), ...permutationDelays(3, 0)]) decisions.add(decisionOf(await runWith(w, order)));
    expect([...decisions]).toEqual([decisionOf(await decisionOverAllAnswers(w))]);
    // This judge prefers the longest answer it is shown: p3's, shown beside p2's.
    expect(JSON.parse([...decisions][0]!)).toMatchObject({ strategyApplied: "JUDGE", winnerId: "c3" });
  });

  it("random worlds: every arrival order gives the decision over all the answers, early stops included", async () => {
    let runs = 0;
    let earlyStops = 0;
    await fc.assert(
      fc.asyncProperty(world, fc.array(delays, { minLength: 8, maxLength: 8 }), async (w, timings) => {
        const reference = await decisionOverAllAnswers(w);
        for (const t of timings) {
          const result = await runWith(w, t);
          expect(decisionOf(result)).toBe(decisionOf(reference));
          const observed = observationsOf(result, w.scripts.length);
          if (observed !== undefined) expect(observed).toBe(observationsOf(reference, w.scripts.length));
          runs++;
          if (!("failed" in result) && observed === undefined) earlyStops++;
        }
      }),
      { numRuns: 100, seed: 20260 },
    );
    // The harness is only worth something if it takes the early-stop path often.
    expect(earlyStops).toBeGreaterThan(runs / 10);
  }, 120_000);
});
