import { FakeClock } from "@llm-pool/core";
import { startMockEngine, type MockEngine, type Scenario } from "@llm-pool/mock-engine";
import {
  engineClock,
  managed,
  ollamaConfig,
  snapshotOf,
  specHttp,
  TASK_CASES,
  taskAnswerRules,
  untilTimers,
} from "@llm-pool/providers/test-support";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EngineHttp } from "../engine-http.js";
import { HealthMonitor } from "../health/health-monitor.js";
import { ProviderSet } from "../provider-set.js";

// The engine and the pool share one FakeClock, so keep-alive expiry and cold loads move only when a test says.
const SCENARIO: Scenario = {
  seed: 1,
  slots: 4,
  models: {
    "phi3:mini": { latency: { kind: "fixed", ms: 0 }, answers: taskAnswerRules() },
    // Takes 5 s to load when it is not resident.
    "qwen2.5:7b": { latency: { kind: "fixed", ms: 0, cold_load_ms: 5_000 }, answers: taskAnswerRules() },
  },
};

let clock: FakeClock;
let engine: MockEngine;
beforeEach(async () => {
  clock = new FakeClock();
  engine = await startMockEngine({ scenario: SCENARIO, clock: engineClock(clock) });
});
afterEach(() => engine.close());

const open = () => new AbortController().signal;
const provider = (overrides: Parameters<typeof ollamaConfig>[1] = {}) => managed(ollamaConfig(engine.url, overrides), clock);
const routes = () => engine.record().map((entry) => entry.route);

/** Another client of the same Ollama (a person's curl, another pool) loading or unloading a model. */
async function foreignLoad(model: string, keepAlive: string | number): Promise<void> {
  const response = await fetch(`${engine.url}/api/generate`, {
    method: "POST",
    body: JSON.stringify({ model, prompt: "", stream: false, keep_alive: keepAlive }),
  });
  expect(response.status).toBe(200);
  await response.json();
}

describe("R-PRV-6 Ollama residency from our own warm-ups and calls", () => {
  it("unknown before anything is heard, resident after warm-up until its keep_alive expires", async () => {
    const p = provider({ keep_alive: "1m" });
    expect(p.isResident()).toBeUndefined();
    await p.warmUp(open());
    expect(p.isResident()).toBe(true);
    await clock.advance(59_999);
    expect(p.isResident()).toBe(true);
    await clock.advance(1);
    expect(p.isResident()).toBe(false);
    expect(routes()).toEqual(["/api/generate"]);
  });

  it("a call to a model known cold is not resident while it loads it, and resident once it answered", async () => {
    const p = provider({ model: "qwen2.5:7b" });
    await p.probe(open());
    expect(p.isResident()).toBe(false);
    const call = p.infer(TASK_CASES.judge.request, open());
    await untilTimers(clock, 1);
    expect(p.isResident()).toBe(false);
    await clock.advance(5_000);
    await call;
    expect(engine.record().at(-1)).toMatchObject({ route: "/api/chat", cold: true, fate: "completed" });
    expect(p.isResident()).toBe(true);
  });

  it("our own warm-up: not resident while the engine loads (and lists) the model, resident after", async () => {
    const p = provider({ model: "qwen2.5:7b" });
    const warm = p.warmUp(open());
    await untilTimers(clock, 1);
    expect(p.isResident()).toBe(false);
    await p.probe(open());
    expect(engine.stats().resident).toEqual(["qwen2.5:7b"]);
    expect(p.isResident()).toBe(false);
    await clock.advance(5_000);
    await warm;
    expect(p.isResident()).toBe(true);
  });

  it("no extra HTTP request per call: isResident() asks nothing, infer() sends only the generation", async () => {
    const p = provider();
    await p.warmUp(open());
    await p.probe(open());
    const before = engine.record().length;
    for (let i = 0; i < 5; i++) {
      expect(p.isResident()).toBe(true);
      await p.infer(TASK_CASES.expand_queries.request, open());
    }
    expect(routes().slice(before)).toEqual(Array(5).fill("/api/chat"));
    expect(routes().filter((route) => route === "/api/ps")).toHaveLength(1);
  });
});

describe("R-PRV-5 Ollama residency from /api/ps, read by the health probe", () => {
  it("the probe reads /api/tags and /api/ps; nothing loaded reads as not resident (known cold)", async () => {
    const p = provider();
    await p.probe(open());
    expect([...routes()].sort()).toEqual(["/api/ps", "/api/tags"]);
    expect(p.isResident()).toBe(false);
  });

  it("resident while listed, not resident once the engine evicted it at keep_alive expiry and a probe ran", async () => {
    const p = provider({ keep_alive: "1m" });
    await p.warmUp(open());
    await clock.advance(30_000);
    await p.probe(open());
    expect(p.isResident()).toBe(true);
    await clock.advance(30_000);
    await p.probe(open());
    expect(engine.stats().resident).toEqual([]);
    expect(p.isResident()).toBe(false);
  });

  it("the engine's expires_at is authoritative: another client's shorter keep_alive ends residency at the engine's expiry", async () => {
    const p = provider({ keep_alive: "30m" });
    await p.warmUp(open());
    await foreignLoad("phi3:mini", "10s");
    await p.probe(open());
    expect(p.isResident()).toBe(true);
    const requests = engine.record().length;
    await clock.advance(10_000);
    expect(p.isResident()).toBe(false);
    expect(engine.record()).toHaveLength(requests);
  });

  it("a model another client unloads is not resident after the next probe; one another client loads is", async () => {
    const p = provider();
    await p.warmUp(open());
    await foreignLoad("phi3:mini", 0);
    expect(p.isResident()).toBe(true);
    await p.probe(open());
    expect(p.isResident()).toBe(false);
    await foreignLoad("phi3:mini", "5m");
    await p.probe(open());
    expect(p.isResident()).toBe(true);
  });

  it("a model listed while another client is still loading it is not resident until the load is done", async () => {
    const p = provider({ model: "qwen2.5:7b" });
    const load = foreignLoad("qwen2.5:7b", "5m");
    await untilTimers(clock, 1);
    await p.probe(open());
    expect(engine.stats().resident).toEqual(["qwen2.5:7b"]);
    expect(p.isResident()).toBe(false);
    await clock.advance(5_000);
    await load;
    await p.probe(open());
    expect(p.isResident()).toBe(true);
  });

  it("an /api/ps that fails leaves the probe healthy and residency as our calls left it", async () => {
    const boom = async function* () {
      yield Buffer.from("boom");
    };
    const failingPs: EngineHttp = async (url, request) =>
      url.endsWith("/api/ps") ? { status: 500, header: () => undefined, body: boom(), cancel() {} } : specHttp(url, request);
    const p = managed(ollamaConfig(engine.url), clock, { http: failingPs });
    await p.probe(open());
    expect(p.isResident()).toBeUndefined();
    await p.warmUp(open());
    await p.probe(open());
    expect(p.isResident()).toBe(true);
  });
});

describe("R-PRV-5 the health monitor keeps residency fresh", () => {
  it("each scheduled probe reads /api/ps, so an eviction by another client shows within one interval", async () => {
    const providers = new ProviderSet({ env: {}, clock });
    const config = await snapshotOf(`[[providers]]\nname = "phi"\ndriver = "ollama"\nbase_url = "${engine.url}"\nmodel = "phi3:mini"\n`);
    providers.apply(config);
    const monitor = new HealthMonitor(providers, { clock });
    const phi = providers.get("phi")!;
    monitor.start();
    await clock.advance(0);
    await vi.waitFor(() => expect(phi.isResident()).toBe(false));
    await providers.warmUp();
    expect(phi.isResident()).toBe(true);
    await foreignLoad("phi3:mini", 0);
    await vi.waitFor(() => expect(clock.pending).toBe(1));
    await clock.advance(providers.healthPolicy.intervalMs);
    await vi.waitFor(() => expect(phi.isResident()).toBe(false));
    expect(routes().filter((route) => route === "/api/ps")).toHaveLength(2);
    monitor.stop();
    await providers.close();
  });
});
