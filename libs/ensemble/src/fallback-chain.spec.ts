import { planFor, providers, rejectionOf } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { Code, Deadline, FakeClock, PoolError } from "@llm-pool/core";
import { chainFor } from "./fallback-chain.js";
import { createEnsemble, implementedStrategies } from "./registry.js";
import { DEFAULT_ENSEMBLE_SETTINGS } from "./settings.js";

describe("the fallback chain (R-ENS-4)", () => {
  it("runs JUDGE -> VOTING -> WEIGHTED -> FASTEST and CONSENSUS -> VOTING -> WEIGHTED -> FASTEST", () => {
    const s = DEFAULT_ENSEMBLE_SETTINGS;
    expect(chainFor("JUDGE", s)).toEqual(["JUDGE", "VOTING", "WEIGHTED", "FASTEST"]);
    expect(chainFor("JUDGE", { ...s, judgeFallback: "WEIGHTED" })).toEqual(["JUDGE", "WEIGHTED", "FASTEST"]);
    expect(chainFor("CONSENSUS", s)).toEqual(["CONSENSUS", "VOTING", "WEIGHTED", "FASTEST"]);
    expect(chainFor("VOTING", s)).toEqual(["VOTING", "WEIGHTED", "FASTEST"]);
    expect(chainFor("WEIGHTED", s)).toEqual(["WEIGHTED", "FASTEST"]);
    expect(chainFor("FASTEST", s)).toEqual(["FASTEST"]);
    expect(implementedStrategies()).toEqual(["FASTEST", "VOTING", "CONSENSUS", "WEIGHTED", "JUDGE"]);
  });

  it("runs FASTEST for real in the time left when no candidate is valid, keeping every step's reason", async () => {
    const clock = new FakeClock();
    const [a, b] = providers("a", "b");
    const run = createEnsemble().run(planFor(clock, "VOTING", [a!, b!], { output: { kind: "json" } }));
    await clock.advance(10);
    a!.answer("not json");
    b!.fail("HTTP 502");
    await clock.advance(0);
    // The second round: FASTEST starts the first provider again.
    expect([a!.started, b!.started]).toEqual([2, 1]);
    a!.answer('{"ok":true}');
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("FASTEST");
    expect(outcome.output).toBe('{"ok":true}');
    expect(outcome.candidates.map((c) => [c.id, c.status])).toEqual([
      ["c1", "ok"],
      ["c2", "error"],
    ]);
    expect(outcome.fallbacks).toEqual([
      { from: "VOTING", to: "WEIGHTED", reason: "all_candidates_invalid", detail: "no valid candidate among 2" },
      { from: "WEIGHTED", to: "FASTEST", reason: "all_candidates_invalid", detail: "no valid candidate among 2" },
    ]);
  });

  it("is unavailable, naming each provider's status, when the last resort finds nothing either", async () => {
    const clock = new FakeClock();
    const [a, b] = providers("a", "b");
    const run = createEnsemble().run(planFor(clock, "CONSENSUS", [a!, b!]));
    const settled = rejectionOf(run);
    await clock.advance(0);
    a!.fail("connect ECONNREFUSED");
    b!.fail("HTTP 503");
    await clock.advance(0);
    a!.fail("connect ECONNREFUSED");
    await clock.advance(0);
    b!.fail("HTTP 503");
    const error = await settled;
    expect(error).toBeInstanceOf(PoolError);
    expect((error as PoolError).code).toBe(Code.Unavailable);
    expect((error as PoolError).message).toContain("a: error (connect ECONNREFUSED); b: error (HTTP 503)");
  });

  it("is deadline_exceeded, naming each provider's status, when time ran out with nothing valid", async () => {
    const clock = new FakeClock();
    const [a, b] = providers("a", "b");
    const settled = rejectionOf(createEnsemble().run(planFor(clock, "VOTING", [a!, b!], { deadlineMs: 500 })));
    await clock.advance(0);
    a!.answer("   ");
    await clock.advance(500);
    const error = (await settled) as PoolError;
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(error.message).toBe(
      "deadline exceeded with no valid answer for task rerank_candidates: a: invalid (empty output); b: timeout (deadline of 500 ms exceeded)",
    );
    expect(b!.aborted).toBe(1);
  });

  it("is unavailable at once when the task has no usable provider", async () => {
    const clock = new FakeClock();
    for (const strategy of ["VOTING", "CONSENSUS", "WEIGHTED", "JUDGE"] as const) {
      const error = (await rejectionOf(createEnsemble().run(planFor(clock, strategy, [])))) as PoolError;
      expect(error.code).toBe(Code.Unavailable);
    }
  });

  it("stops deciding when the client goes away", async () => {
    const clock = new FakeClock();
    const client = new AbortController();
    const list = providers("a", "b");
    const plan = { ...planFor(clock, "VOTING", list), deadline: new Deadline(clock, clock.now() + 1000, client.signal) };
    const settled = rejectionOf(createEnsemble().run(plan));
    await clock.advance(0);
    list[0]!.answer("an answer");
    client.abort();
    const error = (await settled) as PoolError;
    expect(error.code).toBe(Code.Canceled);
    expect(list[1]!.aborted).toBe(1);
    // Nothing was retried.
    expect(list.map((p) => p.started)).toEqual([1, 1]);
  });
});
