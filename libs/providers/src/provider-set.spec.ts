import { Code, FakeClock } from "@llm-pool/core";
import { providerError, ScriptedDrivers, snapshotOf as snapshotWithEnv, TASK_CASES } from "@llm-pool/providers/test-support";
import { describe, expect, it } from "vitest";
import type { DeadlineAwareRequest } from "./driver.js";
import { PooledProvider } from "./pooled-provider.js";
import { ProviderError } from "./provider-error.js";
import { ProviderSet } from "./provider-set.js";

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
  const providers = new ProviderSet({ env, clock, drivers: drivers.table() });
  return { clock, drivers, providers };
}

const names = (providers: readonly { name: string }[]) => providers.map((p) => p.name);
const open = () => new AbortController().signal;
const fail = (providers: ProviderSet, name: string, times: number) => {
  for (let i = 0; i < times; i++) providers.get(name)!.health.recordFailure(`${name}: the engine answered HTTP 500`);
};

describe("R-PRV-1 ProviderSet: routing a task to its providers", () => {
  it("returns the task's providers in hedge order, then fallback_providers only when none of them is usable", async () => {
    const { providers } = setUp();
    const config = await snapshotOf(BASE);
    providers.apply(config);
    const task = config.tasks.expand_queries;
    expect(names(providers.forTask(config, task))).toEqual(["a", "b"]);
    fail(providers, "a", 3);
    expect(names(providers.forTask(config, task))).toEqual(["b"]);
    fail(providers, "b", 2);
    expect(names(providers.forTask(config, task))).toEqual(["b"]);
    fail(providers, "b", 1);
    expect(names(providers.forTask(config, task))).toEqual(["c"]);
  });

  it("a task without its own list gets every provider that serves it, in config order", async () => {
    const { providers } = setUp();
    const config = await snapshotOf(BASE);
    expect(names(providers.forTask(config, config.tasks.judge))).toEqual(["a", "b", "c"]);
    expect(names(providers.forTask(config, config.tasks.recovery_plan))).toEqual(["a", "c"]);
  });

  it("health lists every configured provider in config order, unknown until a result arrives", async () => {
    const { providers, clock } = setUp();
    const config = await snapshotOf(BASE);
    providers.apply(config);
    providers.get("b")!.health.recordSuccess();
    expect(providers.health(config)).toEqual([
      { name: "a", driver: "ollama", model: "a-model", state: "unknown", lastError: "", updatedAt: 0 },
      { name: "b", driver: "ollama", model: "b-model", state: "healthy", lastError: "", updatedAt: clock.now() },
      { name: "c", driver: "openai", model: "c-model", state: "unknown", lastError: "", updatedAt: 0 },
    ]);
  });

  it("a driver that cannot be built is reported unhealthy with the reason and never routed to", async () => {
    const clock = new FakeClock();
    const providers = new ProviderSet({ env: {}, clock });
    const config = await snapshotOf(BASE);
    const report = providers.apply(config);
    expect(report.failed).toEqual(["c"]);
    expect(providers.health(config)[2]).toMatchObject({ name: "c", state: "unhealthy", lastError: "c: environment variable C_KEY is not set" });
    expect(names(providers.forTask(config, config.tasks.judge))).toEqual(["a", "b"]);
  });

  it("R-API-4: says why each provider of a task is not available", async () => {
    const providers = new ProviderSet({ env: {}, clock: new FakeClock() });
    const config = await snapshotOf(BASE);
    providers.apply(config);
    fail(providers, "a", 3);
    fail(providers, "b", 3);
    const task = config.tasks.expand_queries;
    expect(providers.forTask(config, task)).toEqual([]);
    expect(providers.unavailable(config, task)).toEqual([
      { provider: "a", reason: "unhealthy: a: the engine answered HTTP 500" },
      { provider: "b", reason: "unhealthy: b: the engine answered HTTP 500" },
      { provider: "c", reason: "driver could not be built: c: environment variable C_KEY is not set" },
    ]);
  });
});

describe("R-CFG-2 / R-PRV-6 reloads keep what did not change", () => {
  it("keeps unchanged providers (same object, same health), rebuilds changed ones, closes removed ones", async () => {
    const { providers, drivers } = setUp();
    const first = await snapshotOf(BASE);
    providers.apply(first);
    const a = providers.get("a")!;
    a.health.recordSuccess();
    const b = drivers.get("b");

    const second = await snapshotOf(BASE.replace('model = "b-model"', 'model = "b2-model"').replace(/\[\[providers\]\]\nname = "c"[\s\S]*?api_key_env = "C_KEY"\n/, "").replace('fallback_providers = ["c"]', ""));
    const report = providers.apply(second);
    expect(report).toMatchObject({ added: [], kept: ["a"], replaced: ["b"], removed: ["c"], failed: [] });
    await report.closed;
    expect(providers.get("a")).toBe(a);
    expect(providers.get("a")!.health.state).toBe("healthy");
    expect(b.closed).toBe(1);
    expect(drivers.get("c").closed).toBe(1);
    expect(providers.get("b")!.model).toBe("b2-model");
  });

  it("a request still holding the old snapshot gets only providers that are unchanged", async () => {
    const { providers } = setUp();
    const first = await snapshotOf(BASE);
    providers.apply(first);
    providers.apply(await snapshotOf(BASE.replace('model = "b-model"', 'model = "b2-model"')));
    expect(names(providers.forTask(first, first.tasks.expand_queries))).toEqual(["a"]);
  });

  it("a replaced provider finishes its running call before its driver is closed", async () => {
    const { providers, drivers } = setUp();
    providers.apply(await snapshotOf(BASE));
    const old = drivers.get("a");
    let finish!: () => void;
    old.onInfer = () =>
      new Promise((resolve) => (finish = () => resolve({ text: "late", model: "a-model", usage: { promptTokens: 1, completionTokens: 1 }, finishReason: "stop" })));
    const call = providers.get("a")!.infer(TASK_CASES.expand_queries.request, open());
    const report = providers.apply(await snapshotOf(BASE.replace('model = "a-model"', 'model = "a2-model"')));
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
    const { providers, drivers, clock } = setUp();
    providers.apply(await snapshotOf(BASE));
    let finish!: () => void;
    drivers.get("a").onInfer = () => new Promise((resolve) => (finish = () => resolve({ text: "a", model: "a", usage: { promptTokens: 0, completionTokens: 0 }, finishReason: "stop" })));
    const first = providers.get("a")!.infer(TASK_CASES.judge.request, open());
    expect([providers.hasFreeSlot("box"), providers.get("b")!.hasFreeSlot(), providers.get("c")!.hasFreeSlot()]).toEqual([false, false, true]);
    const second = providers.get("b")!.infer(TASK_CASES.judge.request, open());
    await clock.advance(0);
    expect(providers.engine("box")).toMatchObject({ active: 1, waiting: 1 });
    expect(drivers.log).toEqual(["a:infer"]);
    finish();
    await first;
    await second;
    expect(drivers.log).toEqual(["a:infer", "b:infer"]);
  });

  it("refuses at once, as saturated (Unavailable, not a breaker failure), a call whose deadline the queue cannot meet", async () => {
    const { providers, drivers, clock } = setUp();
    providers.apply(await snapshotOf(BASE));
    const a = providers.get("a")!;
    // Teach the engine that calls take 500 ms, then occupy its only slot.
    drivers.get("a").onInfer = async () => {
      await clock.advance(500);
      return { text: "x", model: "a", usage: { promptTokens: 0, completionTokens: 0 }, finishReason: "stop" };
    };
    for (let i = 0; i < 3; i++) await a.infer(TASK_CASES.judge.request, open());
    drivers.get("a").onInfer = () => new Promise(() => {});
    void a.infer(TASK_CASES.judge.request, open());

    const request: DeadlineAwareRequest = { ...TASK_CASES.judge.request, deadlineAt: clock.now() + 300 };
    const error = await providerError(providers.get("b")!.infer(request, open()), "saturated");
    expect(error.code).toBe(Code.Unavailable);
    expect(error.callEnd).toBe("overload");
    expect(error.message).toBe("b: engine box is saturated: an expected wait of 500 ms and 500 ms of work exceed the 300 ms left");
    expect(error.countsAsFailure).toBe(false);
    expect(providers.get("b")!.health.state).toBe("unknown");
  });
});

describe("R-QOS-5 engine queues follow the config", () => {
  it("serve tenants by the [tenancy] weights and learn no limit when adaptive_concurrency = false", async () => {
    const { providers, drivers, clock } = setUp();
    const toml = `${BASE.replace('[tasks.expand_queries]', '[qos]\nadaptive_concurrency = false\n\n[tasks.expand_queries]')}
[tenancy.tenants.heavy]
projects = ["p"]
weight = 3
[tenancy.tenants.light]
projects = ["p"]
`;
    const snapshot = await snapshotWithEnv(toml.replace(/\n\[tenancy\]\n[^[]*$/, ""), { C_KEY: "k" });
    providers.apply(snapshot);
    const releases: (() => void)[] = [];
    const order: string[] = [];
    drivers.get("a").onInfer = (request) =>
      new Promise((resolve) => {
        order.push(request.tenant!);
        releases.push(() => resolve({ text: "x", model: "a", usage: { promptTokens: 0, completionTokens: 0 }, finishReason: "stop" }));
      });
    const a = providers.get("a")!;
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
    expect(providers.engine("box")!.limit).toBe(1);
  });
});

describe("R-PRV-6 warm-up", () => {
  it("warms engines in parallel and the providers of one engine one after another", async () => {
    const { providers, drivers, clock } = setUp();
    providers.apply(await snapshotOf(BASE));
    for (const name of ["a", "b", "c"]) drivers.get(name).onWarmUp = () => new Promise((resolve) => clock.setTimer(100, resolve));
    const done = providers.warmUp();
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
    const { providers, drivers } = setUp();
    providers.apply(await snapshotOf(BASE));
    await providers.warmUp();
    providers.apply(await snapshotOf(BASE.replace('model = "b-model"', 'model = "b2-model"')));
    drivers.get("b").onWarmUp = async () => {
      throw new ProviderError("b", "connection", "cannot reach the engine (ECONNREFUSED)");
    };
    drivers.log.length = 0;
    expect(await providers.warmUp()).toEqual([{ provider: "b", ok: false, error: "b: cannot reach the engine (ECONNREFUSED)" }]);
    expect(drivers.log).toEqual(["b:warm-up:start"]);
    expect(providers.get("b")!.health.state).toBe("degraded");
    expect(providers.get("b")!.warmed).toBe(false);
  });
});

describe("R-PRV-1 PooledProvider", () => {
  it("is what forTask hands out, and reports real calls to health", async () => {
    const { providers, drivers } = setUp();
    const config = await snapshotOf(BASE);
    const [first] = providers.forTask(config, config.tasks.expand_queries);
    expect(first).toBeInstanceOf(PooledProvider);
    await first!.infer(TASK_CASES.expand_queries.request, open());
    expect(providers.get("a")!.health.state).toBe("healthy");
    drivers.get("a").onInfer = async () => {
      throw new ProviderError("a", "malformed", "the engine's response is not valid JSON");
    };
    await providerError(first!.infer(TASK_CASES.expand_queries.request, open()), "malformed");
    expect(providers.health(config)[0]).toMatchObject({ state: "degraded", lastError: "a: the engine's response is not valid JSON" });
  });

  it("errors a driver throws that are not ProviderErrors become engine errors with a safe message", async () => {
    const { providers, drivers } = setUp();
    providers.apply(await snapshotOf(BASE));
    drivers.get("a").onInfer = async () => {
      throw new Error("secret internal detail");
    };
    const error = await providerError(providers.get("a")!.infer(TASK_CASES.judge.request, open()), "engine");
    expect(error.message).toBe("a: the engine call failed");
  });
});
