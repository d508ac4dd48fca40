import { create } from "@bufbuild/protobuf";
import { parseConfig, type ConfigSnapshot } from "@llm-pool/config";
import { QuerySchema, Task, type Answer, type Query } from "@llm-pool/contract";
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerCache } from "./answer-memo.js";
import { Code } from "./code.js";
import type { Ensemble, EnsembleOutcome, EnsemblePlan } from "./ensemble.js";
import { FakeClock } from "./fake-clock.js";
import type { InferEvent } from "./infer-service.js";
import { Orchestrator } from "./orchestrator.js";
import { PoolError } from "./pool-error.js";
import type { Provider } from "./provider.js";
import type { ProviderSource } from "./provider-source.js";

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
  const providers: ProviderSource = { forTask: () => [provider], health: () => [], named: () => undefined };
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
