import { FakeClock } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { HedgeBudget } from "./hedge-budget.js";

describe("HedgeBudget (R-QOS-3)", () => {
  it("starts full: a burst of hedges is allowed before any primary, then none", () => {
    const budget = new HedgeBudget({ share: 0.1, burst: 3, clock: new FakeClock() });
    expect([budget.tryAcquire(), budget.tryAcquire(), budget.tryAcquire(), budget.tryAcquire()]).toEqual([true, true, true, false]);
    expect(budget.stats()).toMatchObject({ hedges: 3, denied: 1, tokens: 0 });
  });

  it("earns exactly one hedge per 1/share primaries", () => {
    const budget = new HedgeBudget({ share: 0.1, burst: 1, clock: new FakeClock() });
    budget.tryAcquire();
    for (let i = 0; i < 9; i++) budget.recordPrimary();
    expect(budget.canHedge()).toBe(false);
    budget.recordPrimary();
    expect(budget.canHedge()).toBe(true);
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.canHedge()).toBe(false);
  });

  it("caps the bucket at burst however long hedging was idle", () => {
    const budget = new HedgeBudget({ share: 0.2, burst: 4, clock: new FakeClock() });
    for (let i = 0; i < 1000; i++) budget.recordPrimary();
    expect(budget.stats().tokens).toBe(4);
    let granted = 0;
    while (budget.tryAcquire()) granted++;
    expect(granted).toBe(4);
  });

  it("keeps hedges within burst + share x primaries when every query wants one", () => {
    const budget = new HedgeBudget({ share: 0.15, burst: 5, clock: new FakeClock() });
    for (let i = 0; i < 1000; i++) {
      budget.recordPrimary();
      budget.tryAcquire();
    }
    const { hedges, primaries, denied } = budget.stats();
    expect(primaries).toBe(1000);
    expect(hedges).toBeLessThanOrEqual(5 + 0.15 * 1000);
    expect(hedges).toBeGreaterThanOrEqual(0.15 * 1000);
    expect(hedges + denied).toBe(1000);
  });

  it("stops hedging entirely for cooloffMs after a saturation signal, on the injected clock", async () => {
    const clock = new FakeClock();
    const budget = new HedgeBudget({ share: 0.5, burst: 10, cooloffMs: 2000, clock });
    budget.markSaturated();
    expect(budget.canHedge()).toBe(false);
    expect(budget.tryAcquire()).toBe(false);
    expect(budget.stats().saturatedUntil).toBe(clock.now() + 2000);
    await clock.advance(1999);
    expect(budget.canHedge()).toBe(false);
    await clock.advance(1);
    expect(budget.canHedge()).toBe(true);
    expect(budget.stats()).toMatchObject({ saturatedUntil: 0, denied: 1 });
  });

  it("never hedges with a share of 0 once the initial burst is spent", () => {
    const budget = new HedgeBudget({ share: 0, burst: 1, clock: new FakeClock() });
    expect(budget.tryAcquire()).toBe(true);
    for (let i = 0; i < 100; i++) budget.recordPrimary();
    expect(budget.tryAcquire()).toBe(false);
  });

  it("refuses options that make no sense", () => {
    const clock = new FakeClock();
    expect(() => new HedgeBudget({ share: 1.5, clock })).toThrow(RangeError);
    expect(() => new HedgeBudget({ share: Number.NaN, clock })).toThrow(RangeError);
    expect(() => new HedgeBudget({ share: 0.1, burst: 0, clock })).toThrow(RangeError);
    expect(() => new HedgeBudget({ share: 0.1, cooloffMs: -1, clock })).toThrow(RangeError);
  });
});
