import { FakeClock } from "@llm-pool/core";
import { ScriptedDrivers, snapshotOf, TASK_CASES } from "@llm-pool/providers/test-support";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../provider-error.js";
import { ProviderSet } from "../provider-set.js";
import { HealthMonitor } from "./health-monitor.js";

const TWO = `
[[providers]]
name = "a"
driver = "ollama"
base_url = "http://127.0.0.1:9"
model = "phi3:mini"

[[providers]]
name = "b"
driver = "ollama"
base_url = "http://127.0.0.1:8"
model = "llama3.1:8b"
`;

async function setUp(toml = TWO) {
  const clock = new FakeClock();
  const drivers = new ScriptedDrivers();
  const providers = new ProviderSet({ env: {}, clock, drivers: drivers.table() });
  const config = await snapshotOf(toml);
  providers.apply(config);
  const monitor = new HealthMonitor(providers, { clock });
  return { clock, drivers, providers, config, monitor };
}

const down = () => Promise.reject(new ProviderError("a", "connection", "cannot reach the engine (ECONNREFUSED)"));

/** Advances the clock to each of `times` (ms from the start) and returns a's probe count at each. */
async function probesAt(clock: FakeClock, count: () => number, times: number[]): Promise<number[]> {
  const start = clock.now();
  const seen: number[] = [];
  for (const t of times) {
    await clock.advance(start + t - clock.now());
    seen.push(count());
  }
  return seen;
}

describe("R-PRV-5 health monitor", () => {
  it("probes every provider at start, then every intervalMs while healthy", async () => {
    const { clock, drivers, providers, config, monitor } = await setUp();
    monitor.start();
    await clock.advance(0);
    expect(providers.health(config).map((r) => r.state)).toEqual(["healthy", "healthy"]);
    expect(await probesAt(clock, () => drivers.get("a").probes, [14_999, 15_000, 30_000])).toEqual([1, 2, 3]);
    monitor.stop();
  });

  it("a failing provider goes degraded then unhealthy, re-probed after 1, 2, 4, 8 ... s up to 60 s", async () => {
    const { clock, drivers, providers, config, monitor } = await setUp();
    drivers.get("a").onProbe = down;
    monitor.start();
    // Probes at 0, 1 s, 3 s, 7 s, 15 s, 31 s, 63 s, 123 s, 183 s.
    const counts = await probesAt(clock, () => drivers.get("a").probes, [0, 999, 1_000, 3_000, 7_000, 15_000, 31_000, 63_000, 122_999, 123_000, 183_000]);
    expect(counts).toEqual([1, 1, 2, 3, 4, 5, 6, 7, 7, 8, 9]);
    expect(providers.health(config)[0]).toMatchObject({ state: "unhealthy", lastError: "a: cannot reach the engine (ECONNREFUSED)" });
    expect(providers.forTask(config, config.tasks.judge).map((p) => p.name)).toEqual(["b"]);
    monitor.stop();
  });

  it("an unhealthy provider comes back after two good probes and is routed to again", async () => {
    const { clock, drivers, providers, config, monitor } = await setUp();
    drivers.get("a").onProbe = down;
    monitor.start();
    await probesAt(clock, () => 0, [0, 1_000, 3_000]);
    expect(providers.get("a")!.health.state).toBe("unhealthy");
    drivers.get("a").onProbe = async () => {};
    await clock.advance(4_000);
    expect(providers.get("a")!.health.state).toBe("degraded");
    // It has been unhealthy once, so even the confirming probe waits twice the base backoff.
    await clock.advance(1_999);
    expect(providers.get("a")!.health.state).toBe("degraded");
    await clock.advance(1);
    expect(providers.get("a")!.health.state).toBe("healthy");
    expect(providers.forTask(config, config.tasks.judge).map((p) => p.name)).toEqual(["a", "b"]);
    monitor.stop();
  });

  it("a failing real call moves the next probe up from the healthy interval to the backoff", async () => {
    const { clock, drivers, providers, monitor } = await setUp();
    monitor.start();
    await clock.advance(0);
    drivers.get("a").onInfer = () => down() as never;
    await providers.get("a")!.infer(TASK_CASES.judge.request, new AbortController().signal).catch(() => {});
    expect(providers.get("a")!.health.state).toBe("degraded");
    expect(await probesAt(clock, () => drivers.get("a").probes, [999, 1_000])).toEqual([1, 2]);
    expect(providers.get("a")!.health.state).toBe("healthy");
    monitor.stop();
  });

  it("a probe that does not answer within probeTimeoutMs fails as a timeout", async () => {
    const { clock, drivers, providers, monitor } = await setUp();
    drivers.get("a").onProbe = (signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    monitor.start();
    await clock.advance(2_000);
    expect(providers.get("a")!.health.record()).toMatchObject({ state: "degraded", lastError: "a: deadline exceeded before the engine answered" });
    monitor.stop();
  });

  it("follows reloads: an added provider is probed at once, a removed one no more; stop leaves no timer", async () => {
    const { clock, drivers, providers, monitor } = await setUp();
    monitor.start();
    await clock.advance(0);
    providers.apply(await snapshotOf(`${TWO}\n[[providers]]\nname = "c"\ndriver = "ollama"\nbase_url = "http://127.0.0.1:7"\nmodel = "gemma2:9b"\n`));
    await clock.advance(0);
    expect(drivers.get("c").probes).toBe(1);
    providers.apply(await snapshotOf(TWO));
    await clock.advance(60_000);
    expect(drivers.get("c").probes).toBe(1);
    expect(drivers.get("a").probes).toBe(5);
    monitor.stop();
    expect(clock.pending).toBe(0);
  });
});
