import { describe, expect, it } from "vitest";
import { ManualClock } from "./manual-clock.js";

describe("ManualClock", () => {
  it("wakes sleeps in due order as time advances, and stops at the target", async () => {
    const clock = new ManualClock(1000);
    const woke: string[] = [];
    const late = clock.sleep(50).then(() => woke.push(`late@${clock.now()}`));
    const early = clock.sleep(10).then(() => woke.push(`early@${clock.now()}`));
    expect(clock.pendingSleeps).toBe(2);
    clock.advance(20);
    await early;
    expect(woke).toEqual(["early@1020"]);
    clock.advance(30);
    await late;
    expect(woke).toEqual(["early@1020", "late@1050"]);
    expect(clock.now()).toBe(1050);
  });

  it("rejects an aborted sleep and forgets it", async () => {
    const clock = new ManualClock();
    const abort = new AbortController();
    const sleeping = clock.sleep(100, abort.signal);
    abort.abort();
    await expect(sleeping).rejects.toThrow();
    expect(clock.pendingSleeps).toBe(0);
  });

  it("resolves zero-length sleeps at once", async () => {
    await new ManualClock().sleep(0);
  });
});
