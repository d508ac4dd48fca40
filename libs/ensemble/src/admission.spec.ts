import { planFor, rejectionOf, ScriptedProvider } from "@llm-pool/ensemble/test-support";
import { describe, expect, it, vi } from "vitest";
import { Code, FakeClock, PoolError, type CallEnd, type CallForecast, type StrategyName } from "@llm-pool/core";
import { BreakerBoard, HedgeBudget } from "@llm-pool/qos";
import { EngineSaturatedError } from "./overload-error.js";
import { createEnsemble } from "./registry.js";

const BREAKER_SETTINGS = { window_size: 50, failure_rate: 0.1, min_calls: 10, open_ms: 5_000, max_open_ms: 300_000, half_open_probes: 1, slow_factor: 2 };

/** A scripted provider on a shared engine whose queue forecasts `estimate`, counting how often it is asked. */
class ForecastingProvider extends ScriptedProvider {
  override readonly engine = "mini";
  forecasts = 0;

  constructor(
    name: string,
    public estimate: CallForecast | undefined,
  ) {
    super(name);
  }

  forecast(): CallForecast | undefined {
    this.forecasts++;
    return this.estimate;
  }
}

const SATURATED_A = { waitMs: 1500, serviceMs: 400, typicalMs: 400 };
const SATURATED_B = { waitMs: 1500, serviceMs: 900, typicalMs: 900 };

describe("refusal before the strategy runs (R-QOS-5)", () => {
  it.each<StrategyName>(["FASTEST", "VOTING", "CONSENSUS", "WEIGHTED", "JUDGE"])(
    "R-QOS-5: %s refuses a query no provider can answer in time with one forecast per provider, no call, no timer (not even the deadline's) and no hedge budget",
    async (strategy) => {
      const clock = new FakeClock();
      const [a, b] = [new ForecastingProvider("a", SATURATED_A), new ForecastingProvider("b", SATURATED_B)];
      const breakers = new BreakerBoard(BREAKER_SETTINGS, clock);
      const ends: [string, CallEnd][] = [];
      breakers.onCallEnd((provider, _task, end) => ends.push([provider, end]));
      const hedgeBudget = new HedgeBudget({ share: 0.15, clock });
      const primaries = vi.spyOn(hedgeBudget, "recordPrimary");
      const timers = vi.spyOn(clock, "setTimer");
      const plan = planFor(clock, strategy, [a, b], { deadlineMs: 1000 });

      const error = await rejectionOf(createEnsemble({ clock, breakers, hedgeBudget }).run(plan));

      expect(error).toBeInstanceOf(EngineSaturatedError);
      expect((error as PoolError).code).toBe(Code.ResourceExhausted);
      expect((error as PoolError).headers).toEqual({ "retry-after": "2" });
      expect((error as PoolError).message).toBe(
        "no provider can answer task rerank_candidates in time; retry after 2 s: " +
          "a: saturated (engine mini is saturated: an expected wait of 1500 ms and 400 ms of work exceed the 1000 ms left); " +
          "b: saturated (engine mini is saturated: an expected wait of 1500 ms and 900 ms of work exceed the 1000 ms left)",
      );
      // A refusal under load is an answer, not a fault: no stack is captured for it.
      expect((error as PoolError).stack).not.toMatch(/\n\s+at /);
      expect([a.forecasts, b.forecasts]).toEqual([1, 1]);
      expect([a.started, b.started]).toEqual([0, 0]);
      expect(timers).not.toHaveBeenCalled();
      expect(primaries).not.toHaveBeenCalled();
      // llmpool_call_end_total still counts each skipped call as overload, never against a breaker.
      expect(ends).toEqual([
        ["a", "overload"],
        ["b", "overload"],
      ]);
      expect(breakers.state("a", "rerank_candidates")).toBe("closed");
    },
  );

  it("R-QOS-5: runs the strategy as usual when one provider can answer in time, asking the others nothing more", async () => {
    const clock = new FakeClock();
    const a = new ForecastingProvider("a", SATURATED_A);
    const b = new ForecastingProvider("b", { waitMs: 0, serviceMs: 400, typicalMs: 400 });
    const run = createEnsemble({ clock }).run(planFor(clock, "FASTEST", [a, b], { deadlineMs: 1000 }));
    await clock.advance(0);
    expect([a.started, b.started]).toEqual([0, 1]);
    b.answer("from b");
    expect((await run).output).toBe("from b");
  });

  it("R-QOS-5: calls a provider whose engine knows too little to forecast, even when the others are saturated", async () => {
    const clock = new FakeClock();
    const a = new ForecastingProvider("a", SATURATED_A);
    const b = new ForecastingProvider("b", undefined);
    const run = createEnsemble({ clock }).run(planFor(clock, "FASTEST", [a, b], { deadlineMs: 1000 }));
    await clock.advance(0);
    expect([a.started, b.started]).toEqual([0, 1]);
    b.answer("from b");
    expect((await run).output).toBe("from b");
  });
});
