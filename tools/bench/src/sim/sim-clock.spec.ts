import { describe, expect, it } from "vitest";
import { SimClock } from "./sim-clock.js";

describe("SimClock", () => {
  it("runs timers in time order, then in the order they were set, jumping time to each", () => {
    const clock = new SimClock(1000);
    const seen: string[] = [];
    clock.setTimer(30, () => seen.push(`c@${clock.now()}`));
    clock.setTimer(10, () => seen.push(`a@${clock.now()}`));
    clock.setTimer(10, () => seen.push(`b@${clock.now()}`));
    clock.run();
    expect(seen).toEqual(["a@1010", "b@1010", "c@1030"]);
  });

  it("runs timers set by timers, and never a cancelled one", () => {
    const clock = new SimClock();
    const seen: number[] = [];
    const cancel = clock.setTimer(5, () => seen.push(-1));
    clock.setTimer(1, () => {
      cancel();
      clock.setTimer(2, () => seen.push(clock.now()));
    });
    clock.run();
    expect(seen).toEqual([3]);
  });

  it("stops at `until`, leaving later timers for the next run", () => {
    const clock = new SimClock();
    const seen: number[] = [];
    for (const ms of [10, 20, 30]) clock.setTimer(ms, () => seen.push(ms));
    clock.run(20);
    expect(seen).toEqual([10, 20]);
    expect(clock.now()).toBe(20);
    clock.run();
    expect(seen).toEqual([10, 20, 30]);
  });

  it("keeps order over many random timers (the heap)", () => {
    const clock = new SimClock();
    const times: number[] = [];
    let x = 7;
    for (let i = 0; i < 500; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      clock.setTimer(x % 10_000, () => times.push(clock.now()));
    }
    clock.run();
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times).toHaveLength(500);
  });

  it("runSettled lets promise chains an event starts finish before the next event", async () => {
    const clock = new SimClock();
    const seen: string[] = [];
    clock.setTimer(10, () => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => {
          seen.push(`chain@${clock.now()}`);
          clock.setTimer(0, () => seen.push(`follow-up@${clock.now()}`));
        });
    });
    clock.setTimer(10, () => seen.push(`second@${clock.now()}`));
    clock.setTimer(20, () => seen.push(`later@${clock.now()}`));
    await clock.runSettled();
    expect(seen).toEqual(["chain@10", "second@10", "follow-up@10", "later@20"]);
  });
});
