import { describe, expect, it } from "vitest";
import { hedgePlan, type HedgePlanInput, type HedgeTarget } from "./hedge-plan.js";

// One Mac mini running Ollama with two models, and a second box.
const phi3: HedgeTarget = { name: "phi3", engine: "mac-mini" };
const llama: HedgeTarget = { name: "llama", engine: "mac-mini" };
const qwen: HedgeTarget = { name: "qwen", engine: "gpu-box" };
const gemma: HedgeTarget = { name: "gemma", engine: "gpu-box" };

interface World {
  full?: string[];
  cold?: string[];
  queued?: string[];
  budget?: boolean;
}

function input(primary: HedgeTarget, candidates: HedgeTarget[], world: World = {}, shareEngine?: boolean): HedgePlanInput<HedgeTarget> {
  return {
    primary,
    candidates,
    engineHasFreeSlot: (engine) => !(world.full ?? []).includes(engine),
    isResident: (provider) => !(world.cold ?? []).includes(provider),
    isQueued: (engine) => (world.queued ?? []).includes(engine),
    budget: { canHedge: () => world.budget ?? true },
    ...(shareEngine === undefined ? {} : { shareEngine }),
  };
}

describe("hedgePlan (engine-aware hedging)", () => {
  it("hedges after the delay onto a warm provider of another engine while the primary runs normally", () => {
    expect(hedgePlan(input(phi3, [llama, qwen]))).toEqual({ startAt: "after-delay", target: qwen, reason: "slow_primary" });
  });

  it("never hedges after the delay onto the primary's own engine: two generations on one Mac mini slow each other", () => {
    expect(hedgePlan(input(phi3, [llama]))).toEqual({ startAt: "never", reason: "no_warm_target" });
  });

  it("may share the primary's engine when told the engine batches (vLLM)", () => {
    expect(hedgePlan(input(phi3, [llama], {}, true))).toEqual({ startAt: "after-delay", target: llama, reason: "slow_primary" });
  });

  it("goes at once to a warm provider with a free slot when the primary's model is cold", () => {
    expect(hedgePlan(input(phi3, [llama, qwen], { cold: ["phi3"] }))).toEqual({ startAt: "now", target: llama, reason: "primary_cold" });
  });

  it("goes at once to another engine with a free slot when the primary is queued", () => {
    const plan = hedgePlan(input(phi3, [llama, qwen], { queued: ["mac-mini"], full: ["mac-mini"] }));
    expect(plan).toEqual({ startAt: "now", target: qwen, reason: "primary_queued" });
  });

  it("never hedges onto an engine with no free slot", () => {
    expect(hedgePlan(input(phi3, [qwen, gemma], { full: ["gpu-box"] }))).toEqual({ startAt: "never", reason: "engines_full" });
    expect(hedgePlan(input(phi3, [qwen, gemma], { full: ["gpu-box"], cold: ["phi3"] }))).toEqual({ startAt: "never", reason: "engines_full" });
  });

  it("never hedges onto a cold model, which would pay the load it tries to avoid", () => {
    expect(hedgePlan(input(phi3, [qwen, gemma], { cold: ["qwen"] }))).toEqual({ startAt: "after-delay", target: gemma, reason: "slow_primary" });
    expect(hedgePlan(input(phi3, [llama, qwen], { cold: ["phi3", "llama", "qwen"] }))).toEqual({ startAt: "never", reason: "no_warm_target" });
  });

  it("never hedges when the budget is spent, even for a cold primary", () => {
    expect(hedgePlan(input(phi3, [llama, qwen], { cold: ["phi3"], budget: false }))).toEqual({ startAt: "never", reason: "budget_exhausted" });
  });

  it("never hedges without a candidate left", () => {
    expect(hedgePlan(input(phi3, [], { cold: ["phi3"] }))).toEqual({ startAt: "never", reason: "no_candidate" });
  });

  it("keeps the candidates' order: the first eligible one is the target", () => {
    expect(hedgePlan(input(llama, [gemma, qwen]))).toMatchObject({ target: gemma });
    expect(hedgePlan(input(llama, [gemma, qwen], { cold: ["gemma"] }))).toMatchObject({ target: qwen });
  });

  it("reads the budget without spending it", () => {
    let asked = 0;
    const plan = hedgePlan({ ...input(phi3, [qwen]), budget: { canHedge: () => (asked++, true) } });
    expect(plan.startAt).toBe("after-delay");
    expect(asked).toBe(1);
  });
});
