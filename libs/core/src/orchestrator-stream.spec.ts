import { create } from "@bufbuild/protobuf";
import { parseConfig, type ConfigSnapshot } from "@llm-pool/config";
import { QuerySchema, Task, type Answer, type Query } from "@llm-pool/contract";
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerCache } from "./answer-memo.js";
import { Code } from "./code.js";
import type { Ensemble, EnsembleOutcome, EnsemblePlan } from "./ensemble.js";
import { FakeClock } from "./fake-clock.js";
import type { InferEvent } from "./infer-service.js";
import { Orchestrator, type InferRecord } from "./orchestrator.js";
import { PoolError } from "./pool-error.js";
import type { Provider } from "./provider.js";
import type { ProviderPool } from "./provider-pool.js";

const TOML = `
[qos]
max_deadline_ms = 1500
default_deadline_ms = 1000

[[providers]]
name = "fast"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "phi3:mini"

[tasks.expand_queries]
output = "text"

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

const outcome = (output: string): EnsembleOutcome => ({
  strategyApplied: "FASTEST",
  output,
  winnerId: "c1",
  candidates: [{ id: "c1", provider: "fast", model: "phi3:mini", latencyMs: 40, status: "ok", score: 1, hedged: false }],
  fallbacks: [],
  agreement: 0,
  hedges: 0,
});

/** An ensemble whose run the test scripts, with the plan it was given. */
class ScriptedEnsemble implements Ensemble {
  plans: EnsemblePlan[] = [];
  constructor(readonly script: (plan: EnsemblePlan) => Promise<EnsembleOutcome>) {}
  run(plan: EnsemblePlan): Promise<EnsembleOutcome> {
    this.plans.push(plan);
    return this.script(plan);
  }
}

function orchestratorWith(ensemble: Ensemble, cache?: AnswerCache): Orchestrator {
  const providers: ProviderPool = { forTask: () => [provider], health: () => [], named: () => undefined };
  return new Orchestrator({ config: () => config, providers, ensemble, clock: new FakeClock(), newId: () => "id-1", ...(cache && { cache }) });
}

const query = (): Query => create(QuerySchema, { task: Task.EXPAND_QUERIES, prompt: "late night jazz" });

async function collect(events: AsyncIterable<InferEvent>): Promise<InferEvent[]> {
  const seen: InferEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const deltas = (events: InferEvent[]) => events.flatMap((e) => (e.kind === "delta" ? [e.text] : []));
const answerOf = (events: InferEvent[]) => (events.at(-1) as { answer: Answer }).answer;

describe("R-API-6 the orchestrator's streaming path", () => {
  it("the strategy's text goes out as deltas while it runs, then the answer; the deltas join to its output", async () => {
    const ensemble = new ScriptedEnsemble(async (plan) => {
      for (const piece of ["late ", "night ", "jazz"]) plan.stream!.text("fast", piece);
      return outcome("late night jazz");
    });
    const events = await collect(orchestratorWith(ensemble).inferStream(query(), { signal: new AbortController().signal }));
    expect(events.map((e) => e.kind)).toEqual(["delta", "delta", "delta", "answer"]);
    expect(deltas(events).join("")).toBe(answerOf(events).output);
    expect(events[0]).toEqual({ kind: "delta", provider: "fast", text: "late " });
    expect(answerOf(events)).toMatchObject({ requestId: "id-1", winnerProvider: "fast" });
  });

  it("a collecting strategy: its progress as it comes, then the decided output as one delta and the answer", async () => {
    const ensemble = new ScriptedEnsemble(async (plan) => {
      plan.stream!.progress({ stage: "candidate", provider: "fast", status: "ok", latencyMs: 40 });
      plan.stream!.progress({ stage: "judge", provider: "judge", status: "ok", latencyMs: 41 });
      return outcome("decided");
    });
    const events = await collect(orchestratorWith(ensemble).inferStream(query(), { signal: new AbortController().signal }));
    expect(events.map((e) => e.kind)).toEqual(["progress", "progress", "delta", "answer"]);
    expect(events[2]).toEqual({ kind: "delta", provider: "fast", text: "decided" });
  });

  it("a cache hit streams the cached answer as one delta and the answer, without running the ensemble", async () => {
    const stored = new Map<string, Answer>();
    const cache: AnswerCache = {
      async through(memo, compute) {
        const hit = stored.get(memo.query.prompt);
        if (hit) return { ...hit, fromCache: true };
        const answer = await compute();
        stored.set(memo.query.prompt, answer);
        return answer;
      },
    };
    const ensemble = new ScriptedEnsemble(async (plan) => {
      plan.stream!.text("fast", "late night jazz");
      return outcome("late night jazz");
    });
    const orchestrator = orchestratorWith(ensemble, cache);
    await collect(orchestrator.inferStream(query(), { signal: new AbortController().signal }));
    const events = await collect(orchestrator.inferStream(query(), { signal: new AbortController().signal }));
    expect(ensemble.plans).toHaveLength(1);
    expect(events.map((e) => e.kind)).toEqual(["delta", "answer"]);
    expect(deltas(events)).toEqual(["late night jazz"]);
    expect(answerOf(events).fromCache).toBe(true);
  });

  it("the unstreamed infer gives the strategy no stream", async () => {
    const ensemble = new ScriptedEnsemble(async () => outcome("x"));
    await orchestratorWith(ensemble).infer(query(), { signal: new AbortController().signal });
    expect(ensemble.plans[0]!.stream).toBeUndefined();
  });

  it("a refused query ends the stream with its PoolError before any event", async () => {
    const ensemble = new ScriptedEnsemble(async () => outcome("x"));
    const bad = create(QuerySchema, { task: Task.EXPAND_QUERIES, prompt: "" });
    const error = await collect(orchestratorWith(ensemble).inferStream(bad, { signal: new AbortController().signal })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: Code.InvalidArgument, field: "prompt" });
    expect(ensemble.plans).toHaveLength(0);
  });

  it("a consumer that stops reading cancels the run: the strategy's deadline signal aborts as canceled", async () => {
    let aborted: unknown;
    const ensemble = new ScriptedEnsemble(
      (plan) =>
        new Promise((_, reject) => {
          plan.stream!.text("fast", "first");
          plan.deadline.signal.addEventListener("abort", () => {
            aborted = plan.deadline.signal.reason;
            reject(plan.deadline.signal.reason);
          });
        }),
    );
    for await (const event of orchestratorWith(ensemble).inferStream(query(), { signal: new AbortController().signal })) {
      expect(event).toMatchObject({ kind: "delta", text: "first" });
      break;
    }
    expect(aborted).toBeInstanceOf(PoolError);
    expect((aborted as PoolError).code).toBe(Code.Canceled);
  });

  it("the client's own cancel reaches the strategy mid-stream and ends the stream with canceled", async () => {
    const client = new AbortController();
    const ensemble = new ScriptedEnsemble(
      (plan) =>
        new Promise((_, reject) => {
          plan.stream!.text("fast", "first");
          plan.deadline.signal.addEventListener("abort", () => reject(plan.deadline.signal.reason));
        }),
    );
    const seen: InferEvent[] = [];
    const error = await (async () => {
      for await (const event of orchestratorWith(ensemble).inferStream(query(), { signal: client.signal })) {
        seen.push(event);
        client.abort(new PoolError(Code.Canceled, "the client went away"));
      }
    })().catch((e: unknown) => e);
    expect(seen.map((e) => e.kind)).toEqual(["delta"]);
    expect(error).toMatchObject({ code: Code.Canceled });
  });
});

describe("R-OBS-1, R-OBS-2 what the orchestrator reports of a streamed query", () => {
  /** An orchestrator on a fake clock whose ensemble the test scripts, and the records it reported. */
  function observed(script: (plan: EnsemblePlan, clock: FakeClock) => Promise<EnsembleOutcome>, cache?: AnswerCache) {
    const clock = new FakeClock();
    const records: InferRecord[] = [];
    const providers: ProviderPool = { forTask: () => [provider], health: () => [], named: () => undefined };
    const orchestrator = new Orchestrator({
      config: () => config,
      providers,
      ensemble: new ScriptedEnsemble((plan) => script(plan, clock)),
      clock,
      newId: () => "id-1",
      observer: { onInfer: (record) => void records.push(record) },
      ...(cache && { cache }),
    });
    return { orchestrator, records };
  }
  const ctx = { signal: new AbortController().signal, entry: { api: "openai", transport: "http" } } as const;

  it("the time to first token is when the strategy's first text went out; the way in comes from the call context", async () => {
    const { orchestrator, records } = observed(async (plan, clock) => {
      await clock.advance(30);
      plan.stream!.text("fast", "late ");
      await clock.advance(50);
      plan.stream!.text("fast", "night jazz");
      return outcome("late night jazz");
    });
    await collect(orchestrator.inferStream(query(), ctx));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: "ok", streamed: true, firstTokenMs: 30, durationMs: 80, entry: { api: "openai", transport: "http" } });
  });

  it("a strategy that streams no text: the first token is the decided output, sent with the answer", async () => {
    const { orchestrator, records } = observed(async (plan, clock) => {
      await clock.advance(40);
      plan.stream!.progress({ stage: "candidate", provider: "fast", status: "ok", latencyMs: 40 });
      await clock.advance(25);
      return outcome("decided");
    });
    await collect(orchestrator.inferStream(query(), ctx));
    expect(records[0]).toMatchObject({ streamed: true, firstTokenMs: 65, durationMs: 65 });
  });

  it("a stream that failed before any text has no first token; an unstreamed call is not streamed", async () => {
    const { orchestrator, records } = observed(async (_plan, clock) => {
      await clock.advance(10);
      throw new PoolError(Code.Unavailable, "no provider");
    });
    await collect(orchestrator.inferStream(query(), ctx)).catch(() => undefined);
    await orchestrator.infer(query(), { signal: new AbortController().signal }).catch(() => undefined);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ outcome: "unavailable", streamed: true });
    expect(records[0]).not.toHaveProperty("firstTokenMs");
    expect(records[1]).toMatchObject({ streamed: false });
    expect(records[1]).not.toHaveProperty("firstTokenMs");
    expect(records[1]).not.toHaveProperty("entry");
  });
});
