import { describe, expect, it } from "vitest";
import { hedgePlan, primaryStall, rescueAfterMs, type HedgeMoment, type HedgePlanInput, type HedgeTarget, type HedgeView } from "./hedge-plan.js";

// One Mac mini running Ollama with two models, and a second box.
const phi3: HedgeTarget = { name: "phi3", engine: "mac-mini" };
const llama: HedgeTarget = { name: "llama", engine: "mac-mini" };
const qwen: HedgeTarget = { name: "qwen", engine: "gpu-box" };
const gemma: HedgeTarget = { name: "gemma", engine: "gpu-box" };

interface World {
  /** Engines with no free slot. */
  full?: string[];
  /** Providers whose model is not loaded. */
  cold?: string[];
  /** Providers that could not answer before the deadline. */
  late?: string[];
}

function view(world: World = {}): HedgeView<HedgeTarget> {
  return {
    hasFreeSlot: (p) => !(world.full ?? []).includes(p.engine),
    isResident: (p) => !(world.cold ?? []).includes(p.name),
    fits: (p) => !(world.late ?? []).includes(p.name),
  };
}

const DELAY: HedgeMoment = { kind: "delay" };
const RESCUE: HedgeMoment = { kind: "rescue" };
const COLD_START: HedgeMoment = { kind: "start", stall: "primary_cold" };

function input(primary: HedgeTarget, moment: HedgeMoment, candidates: HedgeTarget[], world: World = {}, shareEngine?: boolean): HedgePlanInput<HedgeTarget> {
  return { primary, moment, candidates, view: view(world), ...(shareEngine === undefined ? {} : { shareEngine }) };
}

describe("hedgePlan, the one hedge decision of FASTEST (R-QOS-3)", () => {
  it("after the delay, hedges onto a warm provider of another engine while the primary runs normally", () => {
    expect(hedgePlan(input(phi3, DELAY, [llama, qwen]))).toEqual({ target: qwen, reason: "slow_primary" });
  });

  it("never hedges after the delay onto the primary's own engine: two generations on one Mac mini slow each other", () => {
    expect(hedgePlan(input(phi3, DELAY, [llama]))).toEqual({ reason: "no_warm_target" });
  });

  it("may share the primary's engine after the delay when told the engine batches (vLLM)", () => {
    expect(hedgePlan(input(phi3, DELAY, [llama], {}, true))).toEqual({ target: llama, reason: "slow_primary" });
  });

  it("at the start, hedges only a stalled primary: at once onto a warm provider with a free slot, on any engine", () => {
    expect(hedgePlan(input(phi3, { kind: "start", stall: undefined }, [llama, qwen]))).toEqual({ reason: "primary_ready" });
    expect(hedgePlan(input(phi3, COLD_START, [llama, qwen]))).toEqual({ target: llama, reason: "primary_cold" });
    const queued = hedgePlan(input(phi3, { kind: "start", stall: "primary_queued" }, [llama, qwen], { full: ["mac-mini"] }));
    expect(queued).toEqual({ target: qwen, reason: "primary_queued" });
  });

  it("never hedges onto an engine with no free slot, even for a cold primary or a rescue", () => {
    for (const moment of [DELAY, COLD_START, RESCUE]) {
      expect(hedgePlan(input(phi3, moment, [qwen, gemma], { full: ["gpu-box"] })), moment.kind).toEqual({ reason: "engines_full" });
    }
  });

  it("never hedges onto a provider that could not answer before the deadline, even for a rescue", () => {
    expect(hedgePlan(input(phi3, DELAY, [qwen, gemma], { late: ["qwen"] }))).toEqual({ target: gemma, reason: "slow_primary" });
    for (const moment of [DELAY, COLD_START, RESCUE]) {
      expect(hedgePlan(input(phi3, moment, [qwen, gemma], { late: ["qwen", "gemma"] })), moment.kind).toEqual({ reason: "no_time" });
    }
  });

  it("never hedges onto a cold model, which would pay the load it tries to avoid, unless the primary is stuck", () => {
    expect(hedgePlan(input(phi3, DELAY, [qwen, gemma], { cold: ["qwen"] }))).toEqual({ target: gemma, reason: "slow_primary" });
    expect(hedgePlan(input(phi3, COLD_START, [llama, qwen], { cold: ["phi3", "llama", "qwen"] }))).toEqual({ reason: "no_warm_target" });
    expect(hedgePlan(input(phi3, RESCUE, [llama, qwen], { cold: ["llama", "qwen"] }))).toEqual({ target: llama, reason: "primary_outlived" });
  });

  it("never hedges without a candidate left", () => {
    expect(hedgePlan(input(phi3, COLD_START, []))).toEqual({ reason: "no_candidate" });
    expect(hedgePlan(input(phi3, RESCUE, []))).toEqual({ reason: "no_candidate" });
  });

  it("keeps the candidates' order: the first eligible one is the target", () => {
    expect(hedgePlan(input(llama, DELAY, [gemma, qwen]))).toMatchObject({ target: gemma });
    expect(hedgePlan(input(llama, DELAY, [gemma, qwen], { cold: ["gemma"] }))).toMatchObject({ target: qwen });
  });
});

describe("primaryStall and rescueAfterMs (R-QOS-3, R-QOS-5)", () => {
  it("a primary stalls when its model is cold or its engine has no free slot", () => {
    expect(primaryStall(view(), phi3)).toBeUndefined();
    expect(primaryStall(view({ cold: ["phi3"] }), phi3)).toBe("primary_cold");
    expect(primaryStall(view({ full: ["mac-mini"] }), phi3)).toBe("primary_queued");
  });

  it("a primary counts as stuck at twice its expected time, never before the hedge delay", () => {
    expect(rescueAfterMs(350, 1000)).toBe(2000);
    expect(rescueAfterMs(350, 100)).toBe(350);
  });
});
