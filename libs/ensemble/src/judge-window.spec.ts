import { planFor, providers, ScriptedProvider } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { FakeClock } from "@llm-pool/core";
import { LatencyTracker } from "@llm-pool/qos";
import { createEnsemble } from "./registry.js";
import { TrackRecord } from "./track-record.js";

const TASK = "rerank_candidates";
const verdict = JSON.stringify({ winner_id: "A", confidence: 0.8, reason: "first" });

/** JUDGE over a, b, c with a deadline of 1000 ms; `requestId` r2 does not explore, r1 does (one in 20 by hash). */
function judging(opts: { verdicts?: LatencyTracker; track?: TrackRecord; requestId?: string } = {}) {
  const clock = new FakeClock();
  const list = providers("a", "b", "c");
  const judge = new ScriptedProvider("referee");
  const verdicts = opts.verdicts ?? new LatencyTracker();
  const ensemble = createEnsemble({
    judges: () => judge,
    judgeVerdicts: verdicts,
    ...(opts.track ? { track: opts.track } : {}),
  });
  const run = ensemble.run(planFor(clock, "JUDGE", list, { requestId: opts.requestId ?? "r2", settings: { judgeProvider: "referee" } }));
  return { clock, list, judge, verdicts, run };
}

describe("JUDGE plans its window from the judge's record (R-ENS-4, R-QOS-2)", () => {
  it("gives the judge what its recent verdicts took (90th percentile) once it has five, and the candidates the rest", async () => {
    const verdicts = new LatencyTracker();
    for (const ms of [150, 160, 170, 180, 200]) verdicts.record("referee", TASK, ms);
    const { clock, list, judge, run } = judging({ verdicts });
    await clock.advance(0);
    list[0]!.answer("one answer");
    list[1]!.answer("another answer");
    await clock.advance(799);
    expect(judge.started).toBe(0);
    await clock.advance(1);
    // 1000 - 200: c is cut at 800 instead of 700, and the judge starts with a and b.
    expect([list[2]!.aborted, judge.started]).toEqual([1, 1]);
    judge.answer(verdict);
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("JUDGE");
    expect(outcome.candidates.map((c) => [c.status, c.latencyMs])).toEqual([
      ["ok", 0],
      ["ok", 0],
      ["timeout", 800],
    ]);
  });

  it("keeps judge_share until five verdicts are known, and counts a late verdict as at least its elapsed time", async () => {
    const { clock, list, judge, verdicts, run } = judging();
    await clock.advance(0);
    list[0]!.answer("one answer");
    list[1]!.answer("another answer");
    await clock.advance(700);
    expect(judge.started).toBe(1);
    await clock.advance(300);
    const outcome = await run;
    expect(outcome.fallbacks[0]).toMatchObject({ reason: "judge_late", detail: "no verdict before the deadline" });
    expect([verdicts.count("referee", TASK), verdicts.percentile("referee", TASK, 1)]).toEqual([1, 300]);
  });

  it("calls the two candidates expected first and judges as soon as they are in, holding back one expected later", async () => {
    const track = new TrackRecord();
    for (const [name, ms] of [["a", 100], ["b", 200], ["c", 600]] as const) track.observe(TASK, name, "ok", ms);
    const { clock, list, judge, run } = judging({ track });
    await clock.advance(0);
    // c is due at 600, before the window (700), but then the judge would have 400 ms, not twice its 300.
    expect(list.map((p) => p.started)).toEqual([1, 1, 0]);
    await clock.advance(150);
    list[0]!.answer("one answer");
    list[1]!.answer("another answer");
    await clock.advance(0);
    expect(judge.started).toBe(1);
    judge.answer(verdict);
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("JUDGE");
    // c could answer before the window (600 < 700): held back as a stand-in, never needed.
    expect(outcome.candidates[2]).toMatchObject({
      status: "cancelled",
      error: "not called: no candidate of the ballot needed a stand-in",
    });
  });

  it("waits for a third candidate when the judge keeps twice its time after it, and for any candidate it has no record of", async () => {
    const track = new TrackRecord();
    for (const [name, ms] of [["a", 100], ["b", 200], ["c", 900]] as const) track.observe(TASK, name, "ok", ms);
    const clock = new FakeClock();
    const list = providers("a", "b", "c", "d");
    const judge = new ScriptedProvider("referee");
    const ensemble = createEnsemble({ judges: () => judge, track });
    // 3000 ms: the judge gets 900, so a candidate due by 3000 - 1800 = 1200 is worth waiting for.
    const run = ensemble.run(planFor(clock, "JUDGE", list, { requestId: "r2", deadlineMs: 3000, settings: { judgeProvider: "referee" } }));
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 1, 1]);
    list[0]!.answer("one answer");
    list[1]!.answer("another answer");
    await clock.advance(900);
    expect(judge.started).toBe(0);
    list[2]!.answer("a third answer");
    await clock.advance(100);
    expect(judge.started).toBe(0);
    list[3]!.answer("a fourth answer, from a provider never seen before");
    await clock.advance(0);
    expect(judge.started).toBe(1);
    judge.answer(verdict);
    expect((await run).candidates.map((c) => c.status)).toEqual(["ok", "ok", "ok", "ok"]);
  });

  it("calls a candidate it left out again once its record has gone stale, so leaving one out is never for good", async () => {
    const track = new TrackRecord({ staleAfter: 3 });
    for (const [name, ms] of [["a", 100], ["b", 200], ["c", 600]] as const) track.observe(TASK, name, "ok", ms);
    const started: number[][] = [];
    for (let query = 0; query < 3; query++) {
      const clock = new FakeClock();
      const list = providers("a", "b", "c");
      const judge = new ScriptedProvider("referee");
      const ensemble = createEnsemble({ judges: () => judge, track });
      const run = ensemble.run(planFor(clock, "JUDGE", list, { requestId: "r2", settings: { judgeProvider: "referee" } }));
      await clock.advance(0);
      started.push(list.map((p) => p.started));
      await clock.advance(100);
      list.forEach((p) => p.inFlight > 0 && p.answer(`answer of ${p.name}`));
      await clock.advance(0);
      judge.answer(verdict);
      await run;
    }
    // Two queries measure a and b (4 calls since c was): c's 600 ms is then stale; c is called again, its record renewed.
    expect(started).toEqual([[1, 1, 0], [1, 1, 0], [1, 1, 1]]);
    expect(track.track(TASK, "c")).toMatchObject({ latencyMs: 100, stale: false });
  });

  it("measures a stale candidate on top of the two expected first, never in place of one, and judges those two when it is late", async () => {
    const track = new TrackRecord({ staleAfter: 2 });
    // a and b make the ballot; b (500 ms) is past the slack the judge keeps, c (1800 ms) past the window.
    for (const [name, ms] of [["a", 100], ["b", 500], ["c", 1800]] as const) track.observe(TASK, name, "ok", ms);
    for (const [name, ms] of [["a", 100], ["b", 500], ["a", 100]] as const) track.observe(TASK, name, "ok", ms);
    expect(track.track(TASK, "c").stale).toBe(true);
    const clock = new FakeClock();
    const list = providers("a", "b", "c");
    const judge = new ScriptedProvider("referee");
    const ensemble = createEnsemble({ judges: () => judge, track });
    const run = ensemble.run(planFor(clock, "JUDGE", list, { requestId: "r2", settings: { judgeProvider: "referee" } }));
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 1]);
    await clock.advance(100);
    list[0]!.answer("answer of a");
    await clock.advance(400);
    list[1]!.answer("answer of b");
    // c is waited for until the window opens, then the judge reads a and b.
    await clock.advance(200);
    expect(judge.started).toBe(1);
    judge.answer(verdict);
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("JUDGE");
    expect(outcome.candidates.map((c) => c.status)).toEqual(["ok", "ok", "timeout"]);
  });
});
