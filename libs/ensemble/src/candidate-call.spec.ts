import { Code, FakeClock, PoolError, type CallEnd, type ProviderResult } from "@llm-pool/core";
import { BreakerBoard } from "@llm-pool/qos";
import { describe, expect, it } from "vitest";
import { CandidateCall } from "./candidate-call.js";
import { createOutputValidator } from "./output-validator.js";
import { createEnsemble } from "./registry.js";
import { planFor, providers, ScriptedProvider } from "@llm-pool/ensemble/test-support";

const BREAKER = { window_size: 50, failure_rate: 0.1, min_calls: 10, open_ms: 300_000, max_open_ms: 300_000, half_open_probes: 1, slow_factor: 2 };
const UNSATISFIABLE = { not: {} };

/** A rejection as the pool's providers send it: an error that says how the call ended. */
function classified(end: CallEnd, code = Code.Unavailable): PoolError & { callEnd: CallEnd } {
  return Object.assign(new PoolError(code, `ended ${end}`), { callEnd: end });
}

/** Runs `n` one-call plans against one provider and settles each with `settle`. */
async function run(n: number, settle: (p: ScriptedProvider) => void, options: Parameters<typeof planFor>[3] = {}) {
  const clock = new FakeClock();
  const breakers = new BreakerBoard(BREAKER, clock);
  const provider = new ScriptedProvider("phi3");
  const ends: CallEnd[] = [];
  for (let i = 0; i < n; i++) {
    const plan = planFor(clock, "FASTEST", [provider], options);
    const call = new CandidateCall(plan, 0, { breakers, validator: createOutputValidator() });
    if (provider.inFlight > 0) settle(provider);
    ends.push((await call.settled).end);
    plan.deadline.dispose();
  }
  return { ends, state: breakers.state("phi3", "rerank_candidates"), snapshot: breakers.snapshot()[0] };
}

const answer = (text: string, finishReason: ProviderResult["finishReason"] = "stop") => (p: ScriptedProvider) =>
  p.answerWith({ text, model: p.model, usage: { promptTokens: 1, completionTokens: 1 }, finishReason });

describe("R-QOS-4 what a candidate call tells its breaker", () => {
  it("R-QOS-4: answers that fail a client's own unsatisfiable schema leave the shared breaker closed", async () => {
    const output = { kind: "json_schema", schema: UNSATISFIABLE, source: "client" } as const;
    const { ends, state, snapshot } = await run(30, answer('{"a":1}'), { output });
    expect(new Set(ends)).toEqual(new Set(["caller_rejected"]));
    expect(state).toBe("closed");
    expect(snapshot).toMatchObject({ calls: 0, failures: 0 });
  });

  it("the same answers failing the task's own schema are engine faults and open it", async () => {
    const output = { kind: "json_schema", schema: UNSATISFIABLE } as const;
    const { ends, state } = await run(10, answer('{"a":1}'), { output });
    expect(ends.at(-1)).toBe("engine_fault");
    expect(state).toBe("open");
  });

  it("an answer that is not JSON at all is the engine's fault, whoever chose the schema", async () => {
    const output = { kind: "json_schema", schema: UNSATISFIABLE, source: "client" } as const;
    expect((await run(10, answer("not json"), { output })).state).toBe("open");
  });

  it("an answer cut at max_tokens is the caller's budget, not an engine fault", async () => {
    const { ends, state } = await run(20, answer('{"terms": ["cut', "length"), { output: { kind: "json" } });
    expect(ends.at(-1)).toBe("caller_rejected");
    expect(state).toBe("closed");
  });

  it("follows the provider's classification: callers giving up and overload never count, engine slowness does", async () => {
    const reject = (end: CallEnd) => (p: ScriptedProvider) => p.failWith(classified(end, Code.DeadlineExceeded));
    expect((await run(30, reject("caller_gave_up"))).state).toBe("closed");
    expect((await run(30, reject("overload"))).snapshot).toMatchObject({ calls: 0 });
    expect((await run(10, reject("engine_slow"))).state).toBe("open");
  });

  it("a provider that does not classify: a bare deadline is the caller's, any other error the engine's", async () => {
    const deadline = await run(30, (p) => p.failWith(new PoolError(Code.DeadlineExceeded, "deadline of 300 ms exceeded")));
    expect(deadline.state).toBe("closed");
    const broken = await run(10, (p) => p.fail("HTTP 500"));
    expect(broken.ends.at(-1)).toBe("engine_fault");
    expect(broken.state).toBe("open");
  });
});

describe("R-QOS-5 collecting strategies plan with the same forecast", () => {
  it("VOTING skips, without a call, a provider whose engine cannot answer inside the window, and decides with the others", async () => {
    const clock = new FakeClock();
    const [a, b, c] = providers("a", "b", "c") as [ScriptedProvider, ScriptedProvider, ScriptedProvider];
    Object.assign(b, { forecast: () => ({ waitMs: 2000, serviceMs: 400, typicalMs: 400 }) });
    const run = createEnsemble().run(planFor(clock, "VOTING", [a, b, c]));
    await clock.advance(0);
    expect([a.started, b.started, c.started]).toEqual([1, 0, 1]);
    a.answer("blue");
    c.answer("blue");
    const outcome = await run;
    expect(outcome.candidates.map((r) => [r.provider, r.status])).toEqual([
      ["a", "ok"],
      ["b", "saturated"],
      ["c", "ok"],
    ]);
    expect(outcome.candidates[1]!.error).toBe("engine b-engine is saturated: an expected wait of 2000 ms and 400 ms of work exceed the 1000 ms left");
  });

  it("when every engine is saturated, the query is refused at once as RESOURCE_EXHAUSTED", async () => {
    const clock = new FakeClock();
    const list = providers("a", "b");
    for (const p of list) Object.assign(p, { forecast: () => ({ waitMs: 2000, serviceMs: 400, typicalMs: 400 }) });
    const error = await createEnsemble()
      .run(planFor(clock, "VOTING", list))
      .catch((e: unknown) => e);
    expect(list.map((p) => p.started)).toEqual([0, 0]);
    expect(error).toMatchObject({ code: Code.ResourceExhausted, headers: { "retry-after": "2" } });
  });
});
