import { FakeClock } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { ResidencyView } from "./residency-view.js";

describe("R-ENS-1 residency view (what FASTEST reads to skip a cold primary)", () => {
  it("is unknown until the engine reports or a call of ours succeeds", () => {
    const view = new ResidencyView(new FakeClock());
    expect(view.isResident()).toBeUndefined();
  });

  it("a successful call keeps the model resident for its keep-alive, no longer; 0 unloads, Infinity never expires", async () => {
    const clock = new FakeClock();
    const view = new ResidencyView(clock);
    view.used(60_000);
    await clock.advance(59_999);
    expect(view.isResident()).toBe(true);
    await clock.advance(1);
    expect(view.isResident()).toBe(false);
    view.used(0);
    expect(view.isResident()).toBe(false);
    view.used(Infinity);
    await clock.advance(365 * 86_400_000);
    expect(view.isResident()).toBe(true);
  });

  it("the engine's expiry replaces our estimate; -Infinity means not loaded", async () => {
    const clock = new FakeClock();
    const view = new ResidencyView(clock);
    view.used(30 * 60_000);
    view.report()(clock.now() + 10_000);
    await clock.advance(10_000);
    expect(view.isResident()).toBe(false);
    view.report()(-Infinity);
    expect(view.isResident()).toBe(false);
  });

  it("a report asked for before one of our calls finished is dropped: the call is fresher news", () => {
    const clock = new FakeClock();
    const view = new ResidencyView(clock);
    const record = view.report();
    view.used(60_000);
    record(-Infinity);
    expect(view.isResident()).toBe(true);
  });

  it("while a load of ours runs the model is not resident, even if the engine already lists it", () => {
    const clock = new FakeClock();
    const view = new ResidencyView(clock);
    const first = view.loading();
    const second = view.loading();
    view.report()(clock.now() + 60_000);
    expect(view.isResident()).toBe(false);
    first();
    first();
    expect(view.isResident()).toBe(false);
    second();
    expect(view.isResident()).toBe(true);
  });
});
