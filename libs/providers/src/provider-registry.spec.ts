import { Code, FakeClock } from "@llm-pool/core";
import { providerError, ScriptedDrivers, snapshotOf as snapshotWithEnv, TASK_CASES } from "@llm-pool/providers/test-support";
import { describe, expect, it } from "vitest";
import type { DeadlineAwareRequest } from "./driver.js";
import { ManagedProvider } from "./managed-provider.js";
import { ProviderError } from "./provider-error.js";
import { ProviderRegistry } from "./provider-registry.js";

const provider = (name: string, extra = "") => `
[[providers]]
name = "${name}"
driver = "ollama"
base_url = "http://127.0.0.1:9"
model = "${name}-model"
${extra}
`;

// a and b share the engine "box" (one slot); c is an OpenAI-compatible server of its own.
const BASE = `
${provider("a", 'engine = "box"\nmax_concurrency = 1')}
${provider("b", 'engine = "box"\ntasks = ["expand_queries", "judge"]')}
[[providers]]
name = "c"
driver = "openai"
base_url = "http://127.0.0.1:8"
model = "c-model"
api_key_env = "C_KEY"

[tasks.expand_queries]
strategy = "FASTEST"
providers = ["a", "b"]
fallback_providers = ["c"]
`;

const snapshotOf = (toml: string) => snapshotWithEnv(toml, { C_KEY: "k" });

function setUp(env: Record<string, string> = { C_KEY: "k" }) {
  const clock = new FakeClock();
  const drivers = new ScriptedDrivers();
  const registry = new ProviderRegistry({ env, clock, drivers: drivers.table() });
  return { clock, drivers, registry };
}

const names = (providers: readonly { name: string }[]) => providers.map((p) => p.name);
const open = () => new AbortController().signal;
const fail = (registry: ProviderRegistry, name: string, times: number) => {
  for (let i = 0; i < times; i++) registry.get(name)!.health.recordFailure(`${name}: the engine answered HTTP 500`);
};

describe("R-PRV-1 ProviderSource: routing a task to its providers", () => {
  it("returns the task's providers in hedge order, then fallback_providers only when none of them is usable", async () => {
    const { registry } = setUp();
    const config = await snapshotOf(BASE);
    registry.apply(config);
    const task = config.tasks.expand_queries;
    expect(names(registry.forTask(config, task))).toEqual(["a", "b"]);
    fail(registry, "a", 3);
    expect(names(registry.forTask(config, task))).toEqual(["b"]);
    fail(registry, "b", 2);
    expect(names(registry.forTask(config, task))).toEqual(["b"]);
    fail(registry, "b", 1);
    expect(names(registry.forTask(config, task))).toEqual(["c"]);
  });

  it("a task without its own list gets every provider that serves it, in config order", async () => {
    const { registry } = setUp();
    const config = await snapshotOf(BASE);
    expect(names(registry.forTask(config, config.tasks.judge))).toEqual(["a", "b", "c"]);
    expect(names(registry.forTask(config, config.tasks.recovery_plan))).toEqual(["a", "c"]);
  });

  it("health lists every configured provider in config order, unknown until a result arrives", async () => {
    const { registry, clock } = setUp();
    const config = await snapshotOf(BASE);
    registry.apply(config);
    registry.get("b")!.health.recordSuccess();
    expect(registry.health(config)).toEqual([
      { name: "a", driver: "ollama", model: "a-model", state: "unknown", lastError: "", updatedAt: 0 },
      { name: "b", driver: "ollama", model: "b-model", state: "healthy", lastError: "", updatedAt: clock.now() },
      { name: "c", driver: "openai", model: "c-model", state: "unknown", lastError: "", updatedAt: 0 },
    ]);
  });

  it("a driver that cannot be built is reported unhealthy with the reason and never routed to", async () => {
    const clock = new FakeClock();
    const registry = new ProviderRegistry({ env: {}, clock });
    const config = await snapshotOf(BASE);
    const report = registry.apply(config);
    expect(report.failed).toEqual(["c"]);
    expect(registry.health(config)[2]).toMatchObject({ name: "c", state: "unhealthy", lastError: "c: environment variable C_KEY is not set" });
    expect(names(registry.forTask(config, config.tasks.judge))).toEqual(["a", "b"]);
  });

  it("R-API-4: says why each provider of a task is not available", async () => {
    const registry = new ProviderRegistry({ env: {}, clock: new FakeClock() });
    const config = await snapshotOf(BASE);
    registry.apply(config);
    fail(registry, "a", 3);
    fail(registry, "b", 3);
    const task = config.tasks.expand_queries;
    expect(registry.forTask(config, task)).toEqual([]);
    expect(registry.unavailable(config, task)).toEqual([
      { provider: "a", reason: "unhealthy: a: the engine answered HTTP 500" },
      { provider: "b", reason: "unhealthy: b: the engine answered HTTP 500" },
      { provider: "c", reason: "driver could not be built: c: environment variable C_KEY is not set" },
    ]);
  });
});

describe("R-CFG-2 / R-PRV-6 reloads keep what did not change", () => {
  it("keeps unchanged providers (same object, same health), rebuilds changed ones, closes removed ones", async () => {
    const { registry, drivers } = setUp();
    const first = await snapshotOf(BASE);
    registry.apply(first);
    const a = registry.get("a")!;
    a.health.recordSuccess();
    const b = drivers.get("b");

    const second = await snapshotOf(BASE.replace('model = "b-model"', 'model = "b2-model"').replace(/\[\[providers\]\]\nname = "c"[\s\S]*?api_key_env = "C_KEY"\n/, "").replace('fallback_providers = ["c"]', ""));
    const report = registry.apply(second);
    expect(report).toMatchObject({ added: [], kept: ["a"], replaced: ["b"], removed: ["c"], failed: [] });
    await report.closed;
    expect(registry.get("a")).toBe(a);
    expect(registry.get("a")!.health.state).toBe("healthy");
    expect(b.closed).toBe(1);
    expect(drivers.get("c").closed).toBe(1);
    expect(registry.get("b")!.model).toBe("b2-model");
  });

  it("a request still holding the old snapshot gets only providers that are unchanged", async () => {
    const { registry } = setUp();
    const first = await snapshotOf(BASE);
    registry.apply(first);
    registry.apply(await snapshotOf(BASE.replace('model = "b-model"', 'model = "b2-model"')));
    expect(names(registry.forTask(first, first.tasks.expand_queries))).toEqual(["a"]);
  });

  it("a replaced provider finishes its running call before its driver is closed", async () => {
    const { registry, drivers } = setUp();
    registry.apply(await snapshotOf(BASE));
    const old = drivers.get("a");
    let finish!: () => void;
    old.onInfer = () =>
      new Promise((resolve) => (finish = () => resolve({ text: "late", model: "a-model", usage: { promptTokens: 1, completionTokens: 1 }, finishReason: "stop" })));
    const call = registry.get("a")!.infer(TASK_CASES.expand_queries.request, open());
    const report = registry.apply(await snapshotOf(BASE.replace('model = "a-model"', 'model = "a2-model"')));
    await Promise.resolve();
    expect(old.closed).toBe(0);
    finish();
    await expect(call).resolves.toMatchObject({ text: "late" });
    await report.closed;
    expect(old.closed).toBe(1);
  });
});

describe("R-PRV-6 engine limit shared by the providers of one engine", () => {
  it("providers on one engine share its slots; others are not affected", async () => {
    const { registry, drivers, clock } = setUp();
    registry.apply(await snapshotOf(BASE));
    let finish!: () => void;
    drivers.get("a").onInfer = () => new Promise((resolve) => (finish = () => resolve({ text: "a", model: "a", usage: { promptTokens: 0, completionTokens: 0 }, finishReason: "stop" })));
    const first = registry.get("a")!.infer(TASK_CASES.judge.request, open());
    expect([registry.hasFreeSlot("box"), registry.get("b")!.hasFreeSlot(), registry.get("c")!.hasFreeSlot()]).toEqual([false, false, true]);
    const second = registry.get("b")!.infer(TASK_CASES.judge.request, open());
    await clock.advance(0);
    expect(registry.engine("box")).toMatchObject({ active: 1, waiting: 1 });
    expect(drivers.log).toEqual(["a:infer"]);
    finish();
    await first;
    await second;
    expect(drivers.log).toEqual(["a:infer", "b:infer"]);
  });

  it("refuses at once, as saturated (Unavailable, not a breaker failure), a call whose deadline the queue cannot meet", async () => {
    const { registry, drivers, clock } = setUp();
    registry.apply(await snapshotOf(BASE));
    const a = registry.get("a")!;
    // Teach the engine that calls take 500 ms, then occupy its only slot.
    drivers.get("a").onInfer = async () => {
      await clock.advance(500);
      return { text: "x", model: "a", usage: { promptTokens: 0, completionTokens: 0 }, finishReason: "stop" };
    };
    for (let i = 0; i < 3; i++) await a.infer(TASK_CASES.judge.request, open());
    drivers.get("a").onInfer = () => new Promise(() => {});
    void a.infer(TASK_CASES.judge.request, open());

    const request: DeadlineAwareRequest = { ...TASK_CASES.judge.request, deadlineAt: clock.now() + 300 };
    const error = await providerError(registry.get("b")!.infer(request, open()), "saturated");
    expect(error.code).toBe(Code.Unavailable);
    expect(error.callEnd).toBe("overload");
    expect(error.message).toBe("b: engine box is saturated: an expected wait of 500 ms and 500 ms of work exceed the 300 ms left");
    expect(error.countsAsFailure).toBe(false);
    expect(registry.get("b")!.health.state).toBe("unknown");
  });
});

describe("R-QOS-5 engine queues follow the config", () => {
  it("serve tenants by the [tenancy] weights and learn no limit when adaptive_concurrency = false", async () => {
    const { registry, drivers, clock } = setUp();
    const toml = `${BASE.replace('[tasks.expand_queries]', '[qos]\nadaptive_concurrency = false\n\n[tasks.expand_queries]')}
[tenancy.tenants.heavy]
projects = ["p"]
weight = 3
[tenancy.tenants.light]
projects = ["p"]
`;
    const snapshot = await snapshotWithEnv(toml.replace(/\n\[tenancy\]\n[^[]*$/, ""), { C_KEY: "k" });
    registry.apply(snapshot);
    const releases: (() => void)[] = [];
    const order: string[] = [];
    drivers.get("a").onInfer = (request) =>
      new Promise((resolve) => {
        order.push(request.tenant!);
        releases.push(() => resolve({ text: "x", model: "a", usage: { promptTokens: 0, completionTokens: 0 }, finishReason: "stop" }));
      });
    const a = registry.get("a")!;
    const call = (tenant: string) => a.infer({ ...TASK_CASES.judge.request, tenant }, open());
    const calls = [call("light")];
    for (let i = 0; i < 4; i++) calls.push(call("light"));
    for (let i = 0; i < 4; i++) calls.push(call("heavy"));
    for (let i = 0; i < 9; i++) {
      await clock.advance(0);
      releases.shift()?.();
    }
    await Promise.all(calls);
    expect(order).toEqual(["light", "light", "heavy", "heavy", "heavy", "light", "heavy", "light", "light"]);
    expect(registry.engine("box")!.limit).toBe(1);
  });
});

describe("R-PRV-6 warm-up", () => {
  it("warms engines in parallel and the providers of one engine one after another", async () => {
    const { registry, drivers, clock } = setUp();
    registry.apply(await snapshotOf(BASE));
    for (const name of ["a", "b", "c"]) drivers.get(name).onWarmUp = () => new Promise((resolve) => clock.setTimer(100, resolve));
    const done = registry.warmUp();
    await clock.advance(0);
    expect(drivers.log).toEqual(["a:warm-up:start", "c:warm-up:start"]);
    await clock.advance(100);
    const at = (event: string) => drivers.log.indexOf(event);
    expect(at("b:warm-up:start")).toBeGreaterThan(at("a:warm-up:end"));
    expect(at("c:warm-up:end")).toBeGreaterThan(0);
    await clock.advance(100);
    expect(drivers.log).toHaveLength(6);
    expect(await done).toEqual([
      { provider: "a", ok: true },
      { provider: "b", ok: true },
      { provider: "c", ok: true },
    ]);
  });

  it("after a reload only the added or changed providers are warmed; a failure is reported, not thrown", async () => {
    const { registry, drivers } = setUp();
    registry.apply(await snapshotOf(BASE));
    await registry.warmUp();
    registry.apply(await snapshotOf(BASE.replace('model = "b-model"', 'model = "b2-model"')));
    drivers.get("b").onWarmUp = async () => {
      throw new ProviderError("b", "connection", "cannot reach the engine (ECONNREFUSED)");
    };
    drivers.log.length = 0;
    expect(await registry.warmUp()).toEqual([{ provider: "b", ok: false, error: "b: cannot reach the engine (ECONNREFUSED)" }]);
    expect(drivers.log).toEqual(["b:warm-up:start"]);
    expect(registry.get("b")!.health.state).toBe("degraded");
    expect(registry.get("b")!.warmed).toBe(false);
  });
});

describe("R-PRV-1 ManagedProvider", () => {
  it("is what forTask hands out, and reports real calls to health", async () => {
    const { registry, drivers } = setUp();
    const config = await snapshotOf(BASE);
    const [first] = registry.forTask(config, config.tasks.expand_queries);
    expect(first).toBeInstanceOf(ManagedProvider);
    await first!.infer(TASK_CASES.expand_queries.request, open());
    expect(registry.get("a")!.health.state).toBe("healthy");
    drivers.get("a").onInfer = async () => {
      throw new ProviderError("a", "malformed", "the engine's response is not valid JSON");
    };
    await providerError(first!.infer(TASK_CASES.expand_queries.request, open()), "malformed");
    expect(registry.health(config)[0]).toMatchObject({ state: "degraded", lastError: "a: the engine's response is not valid JSON" });
  });

  it("errors a driver throws that are not ProviderErrors become engine errors with a safe message", async () => {
    const { registry, drivers } = setUp();
    registry.apply(await snapshotOf(BASE));
    drivers.get("a").onInfer = async () => {
      throw new Error("secret internal detail");
    };
    const error = await providerError(registry.get("a")!.infer(TASK_CASES.judge.request, open()), "engine");
    expect(error.message).toBe("a: the engine call failed");
  });
});
