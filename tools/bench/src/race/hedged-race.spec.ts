import { BreakerBoard, HedgeBudget, LatencyTracker } from "@llm-pool/qos";
import { describe, expect, it } from "vitest";
import { DEFAULT_BREAKER } from "../sim/scenario.js";
import { SimClock } from "../sim/sim-clock.js";
import { ENGINE_AWARE_350, FIXED_350, FIXED_350_BUDGET, NO_HEDGE, type HedgeMode } from "./hedge-mode.js";
import { runRace, type CallOutcome, type EngineView, type RaceContext, type RaceProvider, type RaceResult } from "./hedged-race.js";

type Script = { ms: number; outcome?: CallOutcome } | "hang";

const phi3: RaceProvider = { name: "phi3", engine: "mac-mini" };
const llama: RaceProvider = { name: "llama", engine: "mac-mini" };
const qwen: RaceProvider = { name: "qwen", engine: "gpu-box" };

interface Options {
  mode?: HedgeMode;
  providers?: RaceProvider[];
  engines?: Partial<EngineView>;
  budget?: HedgeBudget;
  board?: BreakerBoard;
}

/** Runs one race on a virtual clock with scripted engines; returns what happened. */
function race(scripts: Record<string, Script>, options: Options = {}) {
  const clock = new SimClock();
  const log: string[] = [];
  const ctx: RaceContext = {
    clock,
    mode: options.mode ?? FIXED_350,
    task: "rerank",
    providers: options.providers ?? [phi3, qwen],
    deadlineMs: 1170,
    engines: { engineHasFreeSlot: () => true, isResident: () => true, isQueued: () => false, ...options.engines },
    board: options.board ?? new BreakerBoard(DEFAULT_BREAKER, clock),
    tracker: new LatencyTracker(),
    ...(options.budget ? { budget: options.budget } : {}),
  };
  let result: RaceResult | undefined;
  runRace(
    ctx,
    {
      start(provider, onDone) {
        log.push(`start ${provider.name} @${clock.now()}`);
        const script = scripts[provider.name]!;
        if (script === "hang") return () => log.push(`cancel ${provider.name} @${clock.now()}`);
        const cancel = clock.setTimer(script.ms, () => onDone(script.outcome ?? "ok"));
        return () => {
          cancel();
          log.push(`cancel ${provider.name} @${clock.now()}`);
        };
      },
    },
    (r) => (result = r),
  );
  clock.run();
  return { result: result!, log, ctx, clock };
}

describe("runRace (FASTEST with the qos pieces)", () => {
  it("hedges after the fixed delay, lets the first answer win and cancels the other call", () => {
    const { result, log } = race({ phi3: { ms: 900 }, qwen: { ms: 300 } });
    expect(log).toEqual(["start phi3 @0", "start qwen @350", "cancel phi3 @650"]);
    expect(result).toEqual({ status: "ok", latencyMs: 650, calls: 2, hedges: 1, skipped: 0, winner: "qwen" });
  });

  it("never hedges without a delay, and fails over at once after an error (not a hedge)", () => {
    const { result, log } = race({ phi3: { ms: 50, outcome: "error" }, qwen: { ms: 300 } }, { mode: NO_HEDGE });
    expect(log).toEqual(["start phi3 @0", "start qwen @50"]);
    expect(result).toMatchObject({ status: "ok", latencyMs: 350, hedges: 0, calls: 2 });
  });

  it("skips a provider whose breaker is open: the next one is the primary", () => {
    const clock = new SimClock();
    const board = new BreakerBoard(DEFAULT_BREAKER, clock);
    for (let i = 0; i < 10; i++) board.permit("phi3", "rerank")!.failure();
    const { result, log } = race({ phi3: { ms: 100 }, qwen: { ms: 300 } }, { board });
    expect(log).toEqual(["start qwen @0"]);
    expect(result).toMatchObject({ status: "ok", winner: "qwen", skipped: 0, hedges: 0 });
  });

  it("does not hedge when the budget refuses, and counts the refusal", () => {
    const budget = new HedgeBudget({ share: 0.1, burst: 1, clock: new SimClock() });
    budget.tryAcquire();
    const { result, log } = race({ phi3: { ms: 900 }, qwen: { ms: 300 } }, { mode: FIXED_350_BUDGET, budget });
    expect(log).toEqual(["start phi3 @0"]);
    expect(result).toMatchObject({ status: "ok", latencyMs: 900, hedges: 0 });
    expect(budget.stats()).toMatchObject({ primaries: 1, denied: 1 });
  });

  it("times out at the deadline; the primary's breaker counts it, a hedge started in the last half does not", () => {
    const clock = new SimClock();
    const board = new BreakerBoard(DEFAULT_BREAKER, clock);
    const slow: HedgeMode = { ...FIXED_350, delay: { kind: "fixed", ms: 700 } };
    for (let i = 0; i < 9; i++) race({ phi3: "hang", qwen: "hang" }, { board, mode: slow });
    const { result } = race({ phi3: "hang", qwen: "hang" }, { board, mode: slow });
    expect(result).toMatchObject({ status: "timeout", latencyMs: 1170, calls: 2 });
    expect(board.state("phi3", "rerank")).toBe("open");
    expect(board.snapshot().find((b) => b.provider === "qwen")).toMatchObject({ state: "closed", failures: 0 });
  });

  it("engine-aware: goes at once to a warm provider when the primary's model is cold", () => {
    const { result, log } = race(
      { phi3: { ms: 2000 }, llama: { ms: 400 } },
      { mode: ENGINE_AWARE_350, providers: [phi3, llama], engines: { isResident: (p) => p !== "phi3" }, budget: new HedgeBudget({ share: 0.15, clock: new SimClock() }) },
    );
    expect(log).toEqual(["start phi3 @0", "start llama @0", "cancel phi3 @400"]);
    expect(result).toMatchObject({ status: "ok", latencyMs: 400, hedges: 1, winner: "llama" });
  });

  it("engine-aware: never hedges a warm primary onto its own engine, but does onto another one", () => {
    const budget = () => new HedgeBudget({ share: 0.15, clock: new SimClock() });
    const same = race({ phi3: { ms: 900 }, llama: { ms: 300 } }, { mode: ENGINE_AWARE_350, providers: [phi3, llama], budget: budget() });
    expect(same.log).toEqual(["start phi3 @0"]);
    const other = race({ phi3: { ms: 900 }, qwen: { ms: 300 } }, { mode: ENGINE_AWARE_350, providers: [phi3, qwen], budget: budget() });
    expect(other.log).toEqual(["start phi3 @0", "start qwen @350", "cancel phi3 @650"]);
  });

  it("engine-aware: never hedges while every candidate's engine is full", () => {
    const budget = new HedgeBudget({ share: 0.15, clock: new SimClock() });
    const { log, result } = race(
      { phi3: { ms: 900 }, qwen: { ms: 300 } },
      { mode: ENGINE_AWARE_350, providers: [phi3, qwen], engines: { engineHasFreeSlot: (e) => e !== "gpu-box" }, budget },
    );
    expect(log).toEqual(["start phi3 @0"]);
    expect(result).toMatchObject({ status: "ok", latencyMs: 900, hedges: 0 });
  });

  it("does not hedge while the budget cools off after an engine said it was full", () => {
    const clock = new SimClock();
    const budget = new HedgeBudget({ share: 0.15, cooloffMs: 2000, clock });
    budget.markSaturated();
    const { log } = race({ phi3: { ms: 900 }, qwen: { ms: 300 } }, { mode: FIXED_350_BUDGET, budget });
    expect(log).toEqual(["start phi3 @0"]);
  });

  it("is unavailable when every provider fails", () => {
    const { result } = race({ phi3: { ms: 10, outcome: "error" }, qwen: { ms: 20, outcome: "invalid" } });
    expect(result).toMatchObject({ status: "unavailable", calls: 2, latencyMs: 30 });
  });
});
