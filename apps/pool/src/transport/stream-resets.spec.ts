import { FakeClock } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { StreamResetBudget } from "./stream-resets.js";

describe("StreamResetBudget", () => {
  it("is spent by one reset more than the budget within a window", () => {
    const budget = new StreamResetBudget(new FakeClock(), 3, 10_000);
    expect([budget.spend(), budget.spend(), budget.spend(), budget.spend()]).toEqual([false, false, false, true]);
  });

  it("starts afresh once the window has passed: a steady trickle of cancels is never spent", async () => {
    const clock = new FakeClock();
    const budget = new StreamResetBudget(clock, 3, 10_000);
    for (let i = 0; i < 30; i++) {
      expect(budget.spend()).toBe(false);
      await clock.advance(4_000);
    }
  });
});
