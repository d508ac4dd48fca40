import { Code, FakeClock, PoolError } from "@llm-pool/core";
import { OutageGate } from "@llm-pool/redis";
import { describe, expect, it } from "vitest";
import { StoreGuard } from "./store-guard.js";

describe("StoreGuard (what a request meets when Redis fails)", () => {
  const failing = () => Promise.reject(new Error("Command timed out"));

  it("R-SEC-2: refuse: a failure is a 503 unavailable, and Redis is skipped for the gate's hold-down", async () => {
    const clock = new FakeClock();
    const events: string[] = [];
    const guard = new StoreGuard({
      store: "nonce",
      mode: "refuse",
      gate: new OutageGate({ clock, downForMs: 1_000 }),
      observer: { storeFailed: (s) => events.push(`failed:${s}`), storeDegraded: (s, o) => events.push(`${o}:${s}`) },
    });
    let calls = 0;
    const remote = () => (calls++, failing());
    const error = await guard.run(remote, async () => true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolError);
    expect((error as PoolError).code).toBe(Code.Unavailable);
    await expect(guard.run(remote, async () => true)).rejects.toMatchObject({ code: Code.Unavailable });
    expect(calls).toBe(1);
    await clock.advance(1_000);
    await expect(guard.run(async () => "back", async () => "local")).resolves.toBe("back");
    expect(events).toEqual(["failed:nonce", "refused:nonce", "refused:nonce"]);
  });

  it("R-SEC-5: local: a failure is served by the local fallback and reported", async () => {
    const clock = new FakeClock();
    const events: string[] = [];
    const guard = new StoreGuard({
      store: "rate_limit",
      mode: "local",
      gate: new OutageGate({ clock }),
      observer: { storeDegraded: (s, o) => events.push(`${o}:${s}`) },
    });
    await expect(guard.run(failing, async () => "local")).resolves.toBe("local");
    await expect(guard.run(failing, async () => "local")).resolves.toBe("local");
    expect(events).toEqual(["local_fallback:rate_limit", "local_fallback:rate_limit"]);
  });

  it("R-SEC-5: the stores on one client share its gate: after the nonce store fails, the rate limit and quota skip Redis, and the outage is reported once", async () => {
    const clock = new FakeClock();
    const gate = new OutageGate({ clock, downForMs: 1_000 });
    const events: string[] = [];
    const observer = { storeFailed: (s: string) => events.push(`failed:${s}`), storeDegraded: (s: string, o: string) => events.push(`${o}:${s}`) };
    const guards = (["nonce", "rate_limit", "quota"] as const).map((store) => new StoreGuard({ store, mode: "local", gate, observer }));
    let calls = 0;
    const remote = () => (calls++, failing());
    for (const guard of guards) await expect(guard.run(remote, async () => "local")).resolves.toBe("local");
    expect(calls).toBe(1);
    expect(events).toEqual(["failed:nonce", "local_fallback:nonce", "local_fallback:rate_limit", "local_fallback:quota"]);
  });
});
