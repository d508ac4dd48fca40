import { Code, FakeClock, PoolError, type EnsembleStream, type OutputSpec, type Provider } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { createFastest } from "./fastest.js";
import { planFor, rejectionOf, ScriptedProvider, StreamingProvider } from "@llm-pool/ensemble/test-support";

/** A plan's stream that keeps the text the strategy hands over, as [provider, text]. */
function recorder(): { pieces: [string, string][]; stream: EnsembleStream } {
  const pieces: [string, string][] = [];
  return { pieces, stream: { text: (provider, text) => pieces.push([provider, text]), progress: () => {} } };
}

/** FASTEST over `list` with a stream, hedging after 300 ms, on a fake clock. */
function streamedRun(clock: FakeClock, list: Provider[], output?: OutputSpec) {
  const seen = recorder();
  const plan = { ...planFor(clock, "FASTEST", list, { hedgeAfterMs: 300, deadlineMs: 3000, ...(output ? { output } : {}) }), stream: seen.stream };
  return { seen, run: createFastest().run(plan) };
}

const streaming = (...names: string[]) => names.map((name) => new StreamingProvider(name));

describe("R-API-6 streamed FASTEST races on the first token", () => {
  it("the first call to write a token wins: the other is cancelled and the winner's pieces reach the stream as they come", async () => {
    const clock = new FakeClock();
    const [a, b] = streaming("a", "b");
    const { seen, run } = streamedRun(clock, [a!, b!]);
    await clock.advance(300);
    expect(b!.started).toBe(1);
    b!.write("late");
    expect(a!.aborted).toBe(1);
    expect(seen.pieces).toEqual([["b", "late"]]);
    b!.write(" night");
    expect(seen.pieces).toEqual([["b", "late"], ["b", " night"]]);
    b!.answer();
    const outcome = await run;
    expect(outcome.output).toBe("late night");
    expect(outcome.candidates.map((c) => [c.provider, c.status])).toEqual([["a", "cancelled"], ["b", "ok"]]);
    expect(outcome.hedges).toBe(1);
  });

  it("a first token before hedge_after_ms means no hedge, however long the rest of the answer takes", async () => {
    const clock = new FakeClock();
    const [a, b] = streaming("a", "b");
    const { seen, run } = streamedRun(clock, [a!, b!]);
    await clock.advance(100);
    a!.write("slow");
    await clock.advance(2000);
    a!.write(" burn");
    a!.answer();
    const outcome = await run;
    expect(b!.started).toBe(0);
    expect(outcome.hedges).toBe(0);
    expect(seen.pieces.map(([, text]) => text).join("")).toBe(outcome.output);
  });

  it("whitespace alone decides nothing: it goes out with the first real token of the same call", async () => {
    const clock = new FakeClock();
    const [a, b] = streaming("a", "b");
    const { seen, run } = streamedRun(clock, [a!, b!]);
    a!.write("\n");
    await clock.advance(300);
    expect(b!.started).toBe(1);
    a!.write(" ");
    a!.write("jazz");
    expect(b!.aborted).toBe(1);
    a!.answer();
    expect((await run).output).toBe("\n jazz");
    expect(seen.pieces).toEqual([["a", "\n jazz"]]);
  });

  it("a call that fails before its first token falls over as without a stream", async () => {
    const clock = new FakeClock();
    const [a, b] = streaming("a", "b");
    const { seen, run } = streamedRun(clock, [a!, b!]);
    a!.fail();
    await clock.advance(0);
    expect(b!.started).toBe(1);
    b!.write("ok");
    b!.answer();
    const outcome = await run;
    expect(outcome.candidates.map((c) => [c.provider, c.status])).toEqual([["a", "error"], ["b", "ok"]]);
    expect(seen.pieces).toEqual([["b", "ok"]]);
  });

  it("the streaming call breaking off fails the query UNAVAILABLE: its text cannot be taken back, so no failover", async () => {
    const clock = new FakeClock();
    const [a, b] = streaming("a", "b");
    const { run } = streamedRun(clock, [a!, b!]);
    a!.write("late");
    a!.fail("the stream was cut");
    const error = (await rejectionOf(run)) as PoolError;
    expect(error).toBeInstanceOf(PoolError);
    expect(error.code).toBe(Code.Unavailable);
    expect(error.message).toContain("a failed after its answer began to stream: error (the stream was cut)");
    await clock.advance(1000);
    expect(b!.started).toBe(0);
  });

  it("streamed JSON that turns out invalid fails the query UNAVAILABLE instead of answering with it", async () => {
    const clock = new FakeClock();
    const [a, b] = streaming("a", "b");
    const { run } = streamedRun(clock, [a!, b!], { kind: "json" });
    a!.write('{"queries": [');
    a!.answer();
    const error = (await rejectionOf(run)) as PoolError;
    expect(error.code).toBe(Code.Unavailable);
    expect(error.message).toMatch(/a failed after its answer began to stream: invalid \(output is not valid JSON\)/);
  });

  it("the deadline passing mid-stream fails the query DEADLINE_EXCEEDED and aborts the streaming call", async () => {
    const clock = new FakeClock();
    const [a] = streaming("a");
    const { run } = streamedRun(clock, [a!]);
    a!.write("late");
    const failed = rejectionOf(run);
    await clock.advance(3000);
    expect(((await failed) as PoolError).code).toBe(Code.DeadlineExceeded);
    expect(a!.aborted).toBe(1);
  });

  it("a provider that cannot stream races on its whole answer; its output then goes out whole", async () => {
    const clock = new FakeClock();
    const whole = new ScriptedProvider("whole");
    const [b] = streaming("b");
    const { seen, run } = streamedRun(clock, [whole, b!]);
    await clock.advance(300);
    whole.answer("all at once");
    const outcome = await run;
    expect(outcome.output).toBe("all at once");
    expect(b!.aborted).toBe(1);
    expect(seen.pieces).toEqual([]);
  });

  it("without a stream FASTEST still races on whole answers: a first token decides nothing", async () => {
    const clock = new FakeClock();
    const [a, b] = streaming("a", "b");
    const run = createFastest().run(planFor(clock, "FASTEST", [a!, b!], { hedgeAfterMs: 300 }));
    await clock.advance(300);
    expect(b!.started).toBe(1);
    b!.answer("whole");
    expect((await run).output).toBe("whole");
  });
});
