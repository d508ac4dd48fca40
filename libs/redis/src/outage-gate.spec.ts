import { describe, expect, it } from "vitest";
import { OutageGate, StoreDownError, StoreTimeoutError } from "./outage-gate.js";

/** A clock the test moves by hand: hold-downs are read on it. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const failing = () => Promise.reject(new Error("Command timed out"));

describe("the outage gate every Redis store runs behind (R-CACHE-1, R-SEC-5, R-ENS-3)", () => {
  it("a failure holds the store down for downForMs: calls meanwhile are skipped without touching it", async () => {
    const clock = manualClock();
    const gate = new OutageGate({ clock, downForMs: 1_000 });
    let calls = 0;
    const store = () => (calls++, failing());

    expect(await gate.run("get", store)).toMatchObject({ ok: false, skipped: false, opened: true });
    expect(gate.down).toBe(true);
    const skipped = await gate.run("get", store);
    expect(skipped).toMatchObject({ ok: false, skipped: true, opened: false });
    expect(!skipped.ok && skipped.error).toBeInstanceOf(StoreDownError);
    clock.advance(999);
    expect(await gate.run("set", store)).toMatchObject({ skipped: true });
    expect(calls).toBe(1);

    clock.advance(1);
    expect(gate.down).toBe(false);
    expect(await gate.run("get", async () => "back")).toEqual({ ok: true, value: "back" });
  });

  it("reports an outage once: calls in flight together fail together, and only the first failure opens it", async () => {
    const gate = new OutageGate({ clock: manualClock() });
    const rejects: ((error: Error) => void)[] = [];
    const hanging = () => new Promise<never>((_, reject) => rejects.push(reject));
    const inFlight = [gate.run("a", hanging), gate.run("b", hanging), gate.run("c", hanging)];
    for (const reject of rejects) reject(new Error("Connection is closed."));
    const results = await Promise.all(inFlight);
    expect(results.map((r) => !r.ok && r.opened)).toEqual([true, false, false]);
    expect(results.every((r) => !r.ok && !r.skipped)).toBe(true);
  });

  it("a store still failing after the hold-down opens a new outage: one report per hold-down at most", async () => {
    const clock = manualClock();
    const gate = new OutageGate({ clock, downForMs: 500 });
    const opened: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await gate.run("get", failing);
      if (!result.ok && !result.skipped) opened.push(result.opened);
      clock.advance(250);
    }
    // Asked at 0, 500 and 1000 (each time after the hold-down), skipped in between.
    expect(opened).toEqual([true, true, true]);
  });

  it("with timeoutMs, a call that never settles fails with StoreTimeoutError and holds the store down", async () => {
    const gate = new OutageGate({ clock: manualClock(), timeoutMs: 20 });
    const result = await gate.run("record", () => new Promise<never>(() => {}));
    expect(result).toMatchObject({ ok: false, skipped: false, opened: true });
    expect(!result.ok && result.error).toBeInstanceOf(StoreTimeoutError);
    expect(!result.ok && (result.error as Error).message).toBe("no reply within 20 ms");
    expect(gate.down).toBe(true);
  });

  it("a successful call changes nothing: the gate stays up and the value comes back", async () => {
    const gate = new OutageGate({ clock: manualClock(), timeoutMs: 1_000 });
    expect(await gate.run("get", async () => 42)).toEqual({ ok: true, value: 42 });
    expect(gate.down).toBe(false);
  });

  it("refuses a negative hold-down or a non-positive timeout", () => {
    expect(() => new OutageGate({ clock: manualClock(), downForMs: -1 })).toThrow(/downForMs/);
    expect(() => new OutageGate({ clock: manualClock(), timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
