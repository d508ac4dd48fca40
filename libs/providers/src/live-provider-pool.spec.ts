import { FakeClock } from "@llm-pool/core";
import { ScriptedDrivers, snapshotOf } from "@llm-pool/providers/test-support";
import { describe, expect, it } from "vitest";
import { createProviderPool } from "./live-provider-pool.js";

const ONE = `
[[providers]]
name = "a"
driver = "ollama"
base_url = "http://127.0.0.1:9"
model = "phi3:mini"
`;
const TWO = `${ONE}
[[providers]]
name = "b"
driver = "ollama"
base_url = "http://127.0.0.1:9"
model = "llama3.1:8b"
`;

describe("R-PRV-5 / R-PRV-6 what the composition root wires", () => {
  it("start probes and warms every provider; reload warms only what it added; close stops and frees everything", async () => {
    const clock = new FakeClock();
    const drivers = new ScriptedDrivers();
    const pool = createProviderPool({ env: {}, clock, drivers: drivers.table() });

    const first = await snapshotOf(ONE);
    pool.start(first);
    expect(await pool.warming()).toEqual([{ provider: "a", ok: true }]);
    await clock.advance(0);
    expect(drivers.log).toEqual(["a:warm-up:start", "a:warm-up:end", "a:probe"]);
    expect(pool.health(first)).toMatchObject([{ name: "a", state: "healthy" }]);

    drivers.log.length = 0;
    const second = await snapshotOf(TWO);
    expect(pool.reload(second)).toMatchObject({ added: ["b"], kept: ["a"] });
    expect(await pool.warming()).toEqual([{ provider: "b", ok: true }]);
    await clock.advance(0);
    expect(drivers.log).toEqual(["b:warm-up:start", "b:warm-up:end", "b:probe"]);
    expect(pool.forTask(second, second.tasks.judge).map((p) => p.name)).toEqual(["a", "b"]);
    expect(pool.hasFreeSlot("http://127.0.0.1:9")).toBe(true);

    await pool.close();
    expect([drivers.get("a").closed, drivers.get("b").closed, clock.pending]).toEqual([1, 1, 0]);
  });
});

describe("R-API-5 shutdown", () => {
  it("close cancels a warm-up still loading instead of waiting for it", async () => {
    const clock = new FakeClock();
    const drivers = new ScriptedDrivers();
    const pool = createProviderPool({ env: {}, clock, drivers: drivers.table() });
    pool.start(await snapshotOf(ONE));
    // The model never finishes loading (the warm-up starts once the current tick is done).
    drivers.get("a").onWarmUp = (signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    await clock.advance(0);
    expect(drivers.log).toContain("a:warm-up:start");
    await pool.close();
    expect(await pool.warming()).toEqual([{ provider: "a", ok: false, error: "a: the call was cancelled" }]);
  });
});
