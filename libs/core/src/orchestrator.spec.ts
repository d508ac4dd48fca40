import { create } from "@bufbuild/protobuf";
import { parseConfig, type ConfigSnapshot } from "@llm-pool/config";
import { OutputKind, QuerySchema, Strategy, Task, type Answer, type Query } from "@llm-pool/contract";
import { beforeAll, describe, expect, it } from "vitest";
import { Code } from "./code.js";
import type { AnswerCache, IdempotencyGuard } from "./answer-memo.js";
import type { Ensemble, EnsemblePlan } from "./ensemble.js";
import { FakeClock } from "./fake-clock.js";
import type { CallContext } from "./infer-service.js";
import { Orchestrator, type InferRecord } from "./orchestrator.js";
import { NoProviderError } from "./no-provider-error.js";
import { PoolError } from "./pool-error.js";
import type { Provider } from "./provider.js";
import type { ProviderPool } from "./provider-pool.js";
import type { PolicyQuery, TenantLimits, TokenReservation } from "./tenant-limits.js";

const TOML = `
[qos]
max_deadline_ms = 1500
default_deadline_ms = 1000
max_prompt_bytes = 64
max_tokens_cap = 512
default_max_tokens = 100
deadline_margin_ms = 30

[[providers]]
name = "fast"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "phi3:mini"

[tasks.expand_queries]
output = "json"
temperature = 0.2
seed = 7

[tasks.site_tactics]
enabled = false

[tenancy]
auth = "none"
allow_unauthenticated = true
`;

let config: ConfigSnapshot;
beforeAll(async () => {
  config = await parseConfig(TOML, { baseDir: "/tmp", env: {} });
});

const provider: Provider = {
  name: "fast",
  driver: "ollama",
  model: "phi3:mini",
  engine: "e",
  supports: () => true,
  infer: () => Promise.reject(new Error("the test ensemble never calls providers")),
};

/** Records the plans it receives and answers like a one-candidate FASTEST. */
class RecordingEnsemble implements Ensemble {
  plans: EnsemblePlan[] = [];
  async run(plan: EnsemblePlan) {
    this.plans.push(plan);
    return {
      strategyApplied: plan.strategy,
      output: '{"terms":["a"]}',
      winnerId: "c1",
      candidates: [{ id: "c1", provider: "fast", model: "phi3:mini", latencyMs: 40, status: "ok" as const, score: 1, hedged: false, usage: { promptTokens: 11, completionTokens: 5 } }],
      fallbacks: [],
      agreement: 0,
      hedges: 0,
    };
  }
}

function setup(providers: ProviderPool = { forTask: () => [provider], health: () => [], named: () => undefined }) {
  const clock = new FakeClock();
  const ensemble = new RecordingEnsemble();
  const records: InferRecord[] = [];
  const orchestrator = new Orchestrator({
    config: () => config,
    providers,
    ensemble,
    clock,
    observer: { onInfer: (r) => records.push(r) },
    newId: () => "generated-id",
  });
  return { clock, ensemble, records, orchestrator };
}

const ctx: CallContext = { signal: new AbortController().signal };
const query = (init: Parameters<typeof create<typeof QuerySchema>>[1] = {}): Query =>
  create(QuerySchema, { task: Task.EXPAND_QUERIES, prompt: "cinematic lounge", ...init });

async function refusal(q: Query, context: CallContext = ctx): Promise<PoolError> {
  const { orchestrator, ensemble } = setup();
  const error = await orchestrator.infer(q, context).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PoolError);
  expect(ensemble.plans).toHaveLength(0); // refused before any engine is called
  return error as PoolError;
}

describe("orchestrator: bounds before any engine is called (R-API-4)", () => {
  it.each([
    ["deadline_ms above max_deadline_ms", { deadlineMs: 1501 }, "deadline_ms", "1501 ms is above max_deadline_ms = 1500 ms"],
    ["prompt above max_prompt_bytes", { prompt: "x".repeat(65) }, "prompt", "the limit is max_prompt_bytes = 64"],
    ["input counted against max_prompt_bytes", { prompt: "", input: { text: "y".repeat(60) } }, "input", "max_prompt_bytes"],
    ["max_tokens above the cap", { maxTokens: 513 }, "max_tokens", "513 is above the cap of 512"],
    ["a missing task", { task: Task.UNSPECIFIED }, "task", "is required"],
    ["an unknown task", { task: 99 as Task }, "task", "unknown task 99"],
    ["an unknown strategy", { strategy: 42 as Strategy }, "strategy", "unknown strategy 42"],
    ["neither prompt nor input", { prompt: "" }, "prompt", "needs a prompt, an input, or both"],
    ["too many meta entries", { meta: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, "v"])) }, "meta", "33 entries"],
    ["a json_schema output without a schema", { output: { kind: OutputKind.JSON_SCHEMA } }, "output.json_schema", "is required"],
    ["a json_schema that is not JSON", { output: { kind: OutputKind.JSON_SCHEMA, jsonSchema: "{nope" } }, "output.json_schema", "not valid JSON"],
    ["a request_id with forbidden characters", { requestId: "bad id!" }, "request_id", "[A-Za-z0-9._:-]"],
    ["a tenant_id over 64 characters", { tenantId: "t".repeat(65) }, "tenant_id", "longer than 64"],
  ])("refuses %s with invalid_argument naming the field", async (_name, init, field, message) => {
    const error = await refusal(query(init as never));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.requestId).toBeTruthy();
  });

  it("accepts the limits themselves", async () => {
    const { orchestrator } = setup();
    const answer = await orchestrator.infer(query({ deadlineMs: 1500, maxTokens: 512, prompt: "x".repeat(64) }), ctx);
    expect(answer.output).toBe('{"terms":["a"]}');
  });

  it("R-API-4: when no provider is available, says why each one is out, in the message and in `providers`", async () => {
    const unavailable = [
      { provider: "fast", reason: "unhealthy: fast: cannot reach the engine (ECONNREFUSED)" },
      { provider: "big", reason: "driver could not be built: environment variable BIG_KEY is not set" },
    ];
    const { orchestrator, ensemble } = setup({ forTask: () => [], health: () => [], named: () => undefined, unavailable: () => unavailable });
    const error = await orchestrator.infer(query(), ctx).then(() => undefined, (e: unknown) => e);
    expect(ensemble.plans).toHaveLength(0);
    expect(error).toBeInstanceOf(NoProviderError);
    expect(error).toMatchObject({ code: Code.Unavailable, providers: unavailable });
    expect((error as PoolError).message).toBe(
      "no provider is available for task expand_queries: fast: unhealthy: fast: cannot reach the engine (ECONNREFUSED); " +
        "big: driver could not be built: environment variable BIG_KEY is not set",
    );
  });

  it("refuses a task switched off by the kill switch as unavailable", async () => {
    const error = await refusal(query({ task: Task.SITE_TACTICS }));
    expect(error.code).toBe(Code.Unavailable);
    expect(error.message).toContain("site_tactics is switched off");
  });
});

describe("R-API-4: a client's output schema is compiled at admission", () => {
  it("a schema the compiler refuses is invalid_argument naming output.json_schema, with its reason, before any engine", async () => {
    const ensemble = new RecordingEnsemble();
    const compiled: unknown[] = [];
    const orchestrator = new Orchestrator({
      config: () => config,
      providers: { forTask: () => [provider], health: () => [], named: () => undefined },
      ensemble,
      clock: new FakeClock(),
      schemas: {
        compile: (schema) => {
          compiled.push(schema);
          return "$ref" in schema ? { ok: false, reason: 'at /$ref "#" leads back to a schema that contains it' } : { ok: true };
        },
      },
    });
    const output = (jsonSchema: string) => query({ output: { kind: OutputKind.JSON_SCHEMA, jsonSchema } });
    const error = await orchestrator.infer(output('{"$ref":"#"}'), ctx).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PoolError);
    expect(error).toMatchObject({ code: Code.InvalidArgument, field: "output.json_schema", message: 'output.json_schema: at /$ref "#" leads back to a schema that contains it' });
    expect(ensemble.plans).toHaveLength(0);

    await orchestrator.infer(output('{"type":"object"}'), ctx);
    const sent = ensemble.plans[0]?.request.output;
    // A schema the client sent: an answer failing it is never held against the engine (R-QOS-4).
    expect(sent).toEqual({ kind: "json_schema", schema: { type: "object" }, source: "client" });
    // The ensemble gets the very object that was compiled, so its validator finds it compiled.
    expect(sent?.kind === "json_schema" && sent.schema).toBe(compiled[1]);
  });
});

describe("orchestrator: deadlines", () => {
  it("uses the smallest of the query's and the transport's deadline, minus the margin", async () => {
    const { orchestrator, ensemble, clock } = setup();
    await orchestrator.infer(query({ deadlineMs: 1200 }), { ...ctx, transportTimeoutMs: 400 });
    await orchestrator.infer(query({ deadlineMs: 300 }), { ...ctx, transportTimeoutMs: 900 });
    await orchestrator.infer(query(), ctx);
    const budgets = ensemble.plans.map((p) => p.deadline.at - clock.now());
    expect(budgets).toEqual([400 - 30, 300 - 30, 1000 - 30]);
  });

  it("cancels the plan when the client goes away mid-call, and answers canceled", async () => {
    let seen: EnsemblePlan | undefined;
    const waiting: Ensemble = {
      run: (plan) =>
        new Promise((_resolve, reject) => {
          seen = plan;
          plan.deadline.signal.addEventListener("abort", () => reject(plan.deadline.signal.reason));
        }),
    };
    const cancelling = new Orchestrator({
      config: () => config,
      providers: { forTask: () => [provider], health: () => [], named: () => undefined },
      ensemble: waiting,
      clock: new FakeClock(),
    });
    const client = new AbortController();
    const pending = cancelling.infer(query(), { signal: client.signal }).catch((e: unknown) => e);
    client.abort();
    const error = (await pending) as PoolError;
    expect(seen?.deadline.signal.aborted).toBe(true);
    expect(error.code).toBe(Code.Canceled);
  });
});

describe("orchestrator: answers", () => {
  it("builds the Answer from the ensemble outcome with the task's defaults applied", async () => {
    const { orchestrator, ensemble } = setup();
    const answer = await orchestrator.infer(query(), ctx);
    const plan = ensemble.plans[0]!;
    expect(plan.request).toMatchObject({ maxTokens: 100, temperature: 0.2, seed: 7, output: { kind: "json" }, prompt: "cinematic lounge" });
    expect(answer).toMatchObject({
      requestId: "generated-id",
      tenantId: "default",
      projectId: "default",
      winnerProvider: "fast",
      winnerModel: "phi3:mini",
      strategyRequested: Strategy.FASTEST,
      strategyApplied: Strategy.FASTEST,
      outputKind: OutputKind.JSON,
      fromCache: false,
    });
    expect(answer.usage).toMatchObject({ promptTokens: 11, completionTokens: 5 });
    expect(answer.decision?.candidates[0]).toMatchObject({ id: "c1", provider: "fast", latencyMs: 40 });
  });

  it("renders structured input as JSON after the prompt", async () => {
    const { orchestrator, ensemble } = setup();
    await orchestrator.infer(query({ prompt: "rank", input: { ids: ["c1"] } }), ctx);
    expect(ensemble.plans[0]!.request.prompt).toBe('rank\n\nInput (JSON):\n{"ids":["c1"]}');
  });

  it("keeps the client's request_id", async () => {
    const { orchestrator } = setup();
    expect((await orchestrator.infer(query({ requestId: "hook-42" }), ctx)).requestId).toBe("hook-42");
  });

  it("reports every query to the observer, failures with their code", async () => {
    const { orchestrator, records } = setup();
    await orchestrator.infer(query(), ctx);
    await orchestrator.infer(query({ deadlineMs: 99_999 }), ctx).catch(() => {});
    expect(records.map((r) => [r.task, r.strategy, r.outcome, r.winnerModel])).toEqual([
      ["expand_queries", "FASTEST", "ok", "phi3:mini"],
      ["expand_queries", "unknown", "invalid_argument", ""],
    ]);
  });
});

describe("orchestrator: tenant binding (R-SEC-4)", () => {
  const identity = { tenantId: "vvtv", projectIds: ["planner", "curator"], principal: "key vvtv-a", scopes: ["infer"] };

  it("runs under the identity's tenant and default project", async () => {
    const { orchestrator } = setup();
    const answer = await orchestrator.infer(query(), { ...ctx, identity });
    expect([answer.tenantId, answer.projectId]).toEqual(["vvtv", "planner"]);
  });

  it("R-QOS-5: tells the engines whose fair share a call draws on, and the task's priority", async () => {
    const { orchestrator, ensemble } = setup();
    await orchestrator.infer(query(), { ...ctx, identity });
    expect(ensemble.plans[0]!.request).toMatchObject({ tenant: "vvtv", priority: 5 });
  });

  it.each([
    ["another tenant", { tenantId: "other" }],
    ["a project the identity does not hold", { projectId: "autopilot" }],
  ])("refuses %s with one message that does not say which check failed", async (_n, init) => {
    const error = await refusal(query(init), { ...ctx, identity });
    expect(error.code).toBe(Code.PermissionDenied);
    expect(error.message).toBe("this identity may not run queries for the requested tenant or project");
  });
});

describe("orchestrator: tenant limits — policy and daily tokens (R-SEC-6)", () => {
  const tenantToml = `${TOML}
[tenancy.tenants.vvtv]
projects = ["planner"]
max_tokens = 50
max_deadline_ms = 800
`;
  const identity = { tenantId: "vvtv", projectIds: ["planner"], principal: "key vvtv-a", scopes: ["infer"] };
  const asTenant: CallContext = { ...ctx, identity };

  /** Records every reservation and its settlements; `refuse` throws instead of reserving. */
  class RecordingLimits implements TenantLimits {
    reserved: [string, PolicyQuery][] = [];
    settled: number[][] = [];
    refuse: PoolError | undefined;
    async reserve(tenant: { id: string }, q: PolicyQuery): Promise<TokenReservation> {
      if (this.refuse) throw this.refuse;
      this.reserved.push([tenant.id, q]);
      const settlements: number[] = [];
      this.settled.push(settlements);
      return { settle: (tokens) => void settlements.push(tokens) };
    }
  }

  async function withLimits(options: { ensemble?: Ensemble; cache?: AnswerCache; idempotency?: IdempotencyGuard } = {}) {
    const tenantConfig = await parseConfig(tenantToml, { baseDir: "/tmp", env: {} });
    const ensemble = options.ensemble ?? new RecordingEnsemble();
    const limits = new RecordingLimits();
    const orchestrator = new Orchestrator({
      config: () => tenantConfig,
      providers: { forTask: () => [provider], health: () => [], named: () => undefined },
      ensemble,
      clock: new FakeClock(),
      tenantLimits: limits,
      ...(options.cache && { cache: options.cache }),
      ...(options.idempotency && { idempotency: options.idempotency }),
    });
    return { orchestrator, ensemble, limits };
  }

  it("lowers task defaults the client did not choose to the tenant's caps, and reserves that max_tokens", async () => {
    const { orchestrator, ensemble, limits } = await withLimits();
    await orchestrator.infer(query(), asTenant);
    expect(limits.reserved).toEqual([["vvtv", { task: "expand_queries", strategy: "FASTEST", maxTokens: 50, deadlineMs: 800 }]]);
    expect((ensemble as RecordingEnsemble).plans[0]!.request.maxTokens).toBe(50);
  });

  it("passes values the client chose unchanged, and a refusal stops the query before any engine", async () => {
    const { orchestrator, ensemble, limits } = await withLimits();
    limits.refuse = new PoolError(Code.InvalidArgument, "max_tokens: over the tenant's cap", { field: "max_tokens" });
    const error = await orchestrator.infer(query({ maxTokens: 60 }), asTenant).catch((e: PoolError) => e);
    expect(error).toMatchObject({ code: Code.InvalidArgument, field: "max_tokens" });
    expect((ensemble as RecordingEnsemble).plans).toHaveLength(0);
  });

  it("does not apply to scopes without a tenant in the config", async () => {
    const { orchestrator, limits } = await withLimits();
    await orchestrator.infer(query(), ctx);
    expect(limits.reserved).toEqual([]);
  });

  it("settles each reservation exactly once with the tokens of the run: prompt plus completion of every candidate", async () => {
    const { orchestrator, limits } = await withLimits();
    await orchestrator.infer(query(), asTenant);
    await orchestrator.infer(query({ maxTokens: 20 }), asTenant);
    expect(limits.settled).toEqual([[16], [16]]);
  });

  it("releases the whole reservation (settles 0) for a cache hit, which ran no engine", async () => {
    let cachedAnswer: Answer | undefined;
    const cache: AnswerCache = {
      async through(_memo, compute) {
        if (cachedAnswer) return { ...cachedAnswer, fromCache: true };
        cachedAnswer = await compute();
        return cachedAnswer;
      },
    };
    const { orchestrator, limits } = await withLimits({ cache });
    await orchestrator.infer(query(), asTenant);
    await orchestrator.infer(query(), asTenant);
    expect(limits.settled).toEqual([[16], [0]]);
  });

  it("releases the whole reservation for an idempotent replay of a request_id", async () => {
    const answers = new Map<string, Answer>();
    const idempotency: IdempotencyGuard = {
      async once(memo, compute) {
        const done = answers.get(memo.requestId);
        if (done) return done;
        const answer = await compute();
        answers.set(memo.requestId, answer);
        return answer;
      },
    };
    const { orchestrator, limits } = await withLimits({ idempotency });
    await orchestrator.infer(query({ requestId: "once" }), asTenant);
    await orchestrator.infer(query({ requestId: "once" }), asTenant);
    expect(limits.settled).toEqual([[16], [0]]);
  });

  it("releases the whole reservation when the run fails or the client cancels", async () => {
    const failing: Ensemble = { run: () => Promise.reject(new PoolError(Code.Unavailable, "no provider is available")) };
    const { orchestrator, limits } = await withLimits({ ensemble: failing });
    await expect(orchestrator.infer(query(), asTenant)).rejects.toMatchObject({ code: Code.Unavailable });
    const client = new AbortController();
    const cancelled = new Promise<never>((_, reject) => client.signal.addEventListener("abort", () => reject(client.signal.reason)));
    const hanging: Ensemble = { run: () => cancelled };
    const second = await withLimits({ ensemble: hanging });
    const pending = second.orchestrator.infer(query(), { ...asTenant, signal: client.signal }).catch((e: unknown) => e);
    client.abort();
    expect(await pending).toMatchObject({ code: Code.Canceled });
    expect([...limits.settled, ...second.limits.settled]).toEqual([[0], [0]]);
  });
});
