import { planFor, providers, ScriptedProvider } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { FakeClock } from "@llm-pool/core";
import { createEnsemble } from "./registry.js";
import { TrackRecord } from "./track-record.js";

const TASK = "rerank_candidates";
const verdict = JSON.stringify({ winner_id: "A", confidence: 0.8, reason: "first" });

/**
 * JUDGE over a, b, c with a deadline of 1000 ms (the judge's window opens at
 * 700): a and b usually answer in 100 and 200 ms (the ballot), c in 500 ms
 * (before the window, but past the slack the judge keeps: a stand-in).
 */
function judging() {
  const track = new TrackRecord();
  for (const [name, ms] of [["a", 100], ["b", 200], ["c", 500]] as const) track.observe(TASK, name, "ok", ms);
  const clock = new FakeClock();
  const list = providers("a", "b", "c");
  const judge = new ScriptedProvider("referee");
  const ensemble = createEnsemble({ judges: () => judge, track });
  const run = ensemble.run(planFor(clock, "JUDGE", list, { requestId: "r2", settings: { judgeProvider: "referee" } }));
  const shown = () => [...judge.lastRequest.prompt.matchAll(/\[answer \w+\]\n(.*)\n/g)].map((m) => m[1]).sort();
  return { clock, list, judge, run, shown };
}

describe("JUDGE's ballot and its stand-ins (R-ENS-4, R-ENS-5)", () => {
  it("calls a stand-in for a ballot candidate that fails, and judges the answers of the others", async () => {
    const { clock, list, judge, run, shown } = judging();
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 0]);
    list[0]!.answer("   ");
    await clock.advance(0);
    expect(list[2]!.started).toBe(1);
    list[1]!.answer("the answer of b");
    list[2]!.answer("the answer of c");
    await clock.advance(0);
    judge.answer(verdict);
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("JUDGE");
    expect(shown()).toEqual(["the answer of b", "the answer of c"]);
    expect(outcome.candidates.map((c) => c.status)).toEqual(["invalid", "ok", "ok"]);
  });

  it("calls a ballot candidate again once it is overdue (twice its usual latency), and takes whichever call answers", async () => {
    const { clock, list, judge, run, shown } = judging();
    await clock.advance(0);
    list[1]!.answer("the answer of b");
    await clock.advance(199);
    expect(list[0]!.started).toBe(1);
    await clock.advance(1);
    // a is 200 ms late on its 100: a second call of a, not the stand-in.
    expect([list[0]!.started, list[2]!.started]).toEqual([2, 0]);
    list[0]!.answer("the answer of a");
    await clock.advance(0);
    expect(list[0]!.aborted).toBe(1);
    judge.answer(verdict);
    const outcome = await run;
    expect(shown()).toEqual(["the answer of a", "the answer of b"]);
    expect(outcome.hedges).toBe(1);
    expect(outcome.candidates[2]).toMatchObject({ status: "cancelled", error: "not called: no candidate of the ballot needed a stand-in" });
  });

  it("does not call an overdue candidate again when that call could not land before the window", async () => {
    const track = new TrackRecord();
    for (const [name, ms] of [["a", 300], ["b", 200], ["c", 650]] as const) track.observe(TASK, name, "ok", ms);
    const clock = new FakeClock();
    const list = providers("a", "b", "c");
    const judge = new ScriptedProvider("referee");
    const run = createEnsemble({ judges: () => judge, track }).run(
      planFor(clock, "JUDGE", list, { requestId: "r2", settings: { judgeProvider: "referee" } }),
    );
    await clock.advance(0);
    list[1]!.answer("the answer of b");
    // a is overdue at 600; a second call of a would land at 900, after the window (700).
    await clock.advance(650);
    expect(list.map((p) => p.started)).toEqual([1, 1, 0]);
    await clock.advance(50);
    const outcome = await run;
    expect(outcome.fallbacks[0]).toMatchObject({ reason: "too_few_candidates" });
    expect(outcome.hedges).toBe(0);
  });

  it("waits for the second call of a candidate whose first call failed, without calling a stand-in", async () => {
    const { clock, list, judge, run, shown } = judging();
    await clock.advance(0);
    list[1]!.answer("the answer of b");
    await clock.advance(200);
    // a is overdue: called again; a stand-in is not needed yet.
    expect(list[0]!.started).toBe(2);
    list[0]!.fail();
    await clock.advance(0);
    // One of a's calls failed, the other still runs: a has not failed yet, so c is not called.
    expect(list[2]!.started).toBe(0);
    list[0]!.answer("the answer of a");
    await clock.advance(0);
    judge.answer(verdict);
    const outcome = await run;
    expect(shown()).toEqual(["the answer of a", "the answer of b"]);
    expect(outcome.candidates.map((c) => [c.status, c.hedged])).toEqual([
      ["ok", true],
      ["ok", false],
      ["cancelled", false],
    ]);
  });
});

describe("JUDGE's window on an engine that forecasts (R-ENS-4, R-QOS-5)", () => {
  /** a and b usually answer in 100 and 200 ms; the window opens at 700 of 1000 ms; the judge's engine forecasts a verdict at 150 ms. */
  function forecasting(track = new TrackRecord()) {
    const clock = new FakeClock();
    const list = providers("a", "b", "c");
    const judge = Object.assign(new ScriptedProvider("referee"), {
      forecast: () => ({ waitMs: 0, serviceMs: 150, typicalMs: 120 }),
    });
    const ensemble = createEnsemble({ judges: () => judge, track });
    const run = ensemble.run(planFor(clock, "JUDGE", list, { requestId: "r2", settings: { judgeProvider: "referee" } }));
    return { clock, list, judge, run };
  }

  it("keeps waiting past the window's opening for a ballot answer still on its way while a verdict still fits before the deadline", async () => {
    const track = new TrackRecord();
    for (const [name, ms] of [["a", 100], ["b", 200], ["c", 500]] as const) track.observe(TASK, name, "ok", ms);
    const { clock, list, judge, run } = forecasting(track);
    await clock.advance(100);
    list[0]!.answer("the answer of a");
    await clock.advance(600);
    // The window is open with one answer: the judge could not be called, so b gets until 850 (1000 - 150).
    expect(judge.started).toBe(0);
    await clock.advance(100);
    list[1]!.answer("the answer of b");
    await clock.advance(0);
    expect(judge.started).toBe(1);
    judge.answer(verdict);
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("JUDGE");
    expect(outcome.candidates.map((c) => c.status)).toEqual(["ok", "ok", "cancelled"]);
  });

  it("closes at the verdict's last start when the ballot is still short, and falls back", async () => {
    const track = new TrackRecord();
    for (const [name, ms] of [["a", 100], ["b", 200], ["c", 500]] as const) track.observe(TASK, name, "ok", ms);
    const { clock, list, judge, run } = forecasting(track);
    await clock.advance(100);
    list[0]!.answer("the answer of a");
    await clock.advance(750);
    const outcome = await run;
    expect(judge.started).toBe(0);
    expect(outcome.candidates.map((c) => c.status)).toEqual(["ok", "timeout", "cancelled"]);
    expect(outcome.fallbacks[0]).toMatchObject({ from: "JUDGE", reason: "too_few_candidates" });
  });

  it("judges as soon as the window opens with two valid answers, without waiting for the rest of its ballot", async () => {
    const track = new TrackRecord();
    // c has no record: waited for, to be measured.
    for (const [name, ms] of [["a", 100], ["b", 200]] as const) track.observe(TASK, name, "ok", ms);
    const { clock, list, judge, run } = forecasting(track);
    await clock.advance(100);
    list[0]!.answer("the answer of a");
    list[1]!.answer("the answer of b");
    await clock.advance(599);
    expect(judge.started).toBe(0);
    await clock.advance(1);
    expect(judge.started).toBe(1);
    judge.answer(verdict);
    expect((await run).candidates.map((c) => c.status)).toEqual(["ok", "ok", "timeout"]);
  });

  it("calls a ballot candidate whose engine would answer in time at its typical speed, though not at its planned time", async () => {
    const track = new TrackRecord();
    for (const [name, ms] of [["a", 100], ["b", 200], ["c", 500]] as const) track.observe(TASK, name, "ok", ms);
    const clock = new FakeClock();
    const list = providers("a", "b", "c");
    // Waiting 400 ms then 400 planned (200 typical) misses the window at 700; a typical answer does not.
    Object.assign(list[1]!, { forecast: () => ({ waitMs: 400, serviceMs: 400, typicalMs: 200 }) });
    const judge = new ScriptedProvider("referee");
    const run = createEnsemble({ judges: () => judge, track }).run(
      planFor(clock, "JUDGE", list, { requestId: "r2", settings: { judgeProvider: "referee" } }),
    );
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 0]);
    list[0]!.answer("the answer of a");
    list[1]!.answer("the answer of b");
    await clock.advance(0);
    judge.answer(verdict);
    expect((await run).strategyApplied).toBe("JUDGE");
  });
});
