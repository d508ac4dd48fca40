import { describe, expect, it, vi } from "vitest";
import { Code } from "./code.js";
import { Deadline } from "./deadline.js";
import { FakeClock } from "./fake-clock.js";
import { PoolError } from "./pool-error.js";

describe("Deadline", () => {
  it("R-QOS-5: sets no timer and no listener on its parent until its signal is read, so a query refused before any call pays for neither", () => {
    const clock = new FakeClock();
    const parent = new AbortController().signal;
    const listen = vi.spyOn(parent, "addEventListener");
    const deadline = new Deadline(clock, clock.now() + 1000, parent);
    expect(deadline.remaining()).toBe(1000);
    expect(clock.pending).toBe(0);
    expect(listen).not.toHaveBeenCalled();
    deadline.dispose();
  });

  it("R-PRV-1: fires at its time as DEADLINE_EXCEEDED, however late its signal is first read", async () => {
    const clock = new FakeClock();
    const deadline = new Deadline(clock, clock.now() + 1000);
    await clock.advance(400);
    const signal = deadline.signal;
    await clock.advance(599);
    expect(signal.aborted).toBe(false);
    await clock.advance(1);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as PoolError).code).toBe(Code.DeadlineExceeded);
    expect((signal.reason as PoolError).message).toBe("deadline of 1000 ms exceeded");
  });

  it("R-PRV-1: follows a parent that aborts before or after its signal is read", () => {
    const clock = new FakeClock();
    const before = new AbortController();
    const early = new Deadline(clock, clock.now() + 1000, before.signal);
    before.abort(new PoolError(Code.Canceled, "gone"));
    expect((early.signal.reason as PoolError).message).toBe("gone");

    const after = new AbortController();
    const late = new Deadline(clock, clock.now() + 1000, after.signal);
    const signal = late.signal;
    after.abort();
    expect((signal.reason as PoolError).code).toBe(Code.Canceled);
    expect(clock.pending).toBe(1);
    late.dispose();
    expect(clock.pending).toBe(0);
  });

  it("R-PRV-1: once disposed, its signal never fires", async () => {
    const clock = new FakeClock();
    const deadline = new Deadline(clock, clock.now() + 100);
    deadline.dispose();
    const signal = deadline.signal;
    await clock.advance(200);
    expect(signal.aborted).toBe(false);
    expect(clock.pending).toBe(0);
  });
});
