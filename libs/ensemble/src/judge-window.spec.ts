import { describe, expect, it } from "vitest";
import { FakeClock } from "@llm-pool/core";
import { LatencyTracker } from "@llm-pool/qos";
import { createEnsemble } from "./registry.js";
import { planFor, providers, ScriptedProvider } from "./spec-helpers.js";
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

  it("does not call a candidate its record expects after the window, and judges as soon as the others are in", async () => {
    const track = new TrackRecord();
    for (const [name, ms] of [["a", 100], ["b", 200], ["c", 900]] as const) track.observe(TASK, name, "ok", ms);
    const { clock, list, judge, run } = judging({ track });
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 0]);
    await clock.advance(150);
    list[0]!.answer("one answer");
    list[1]!.answer("another answer");
    await clock.advance(0);
    expect(judge.started).toBe(1);
    judge.answer(verdict);
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("JUDGE");
    expect(outcome.candidates[2]).toMatchObject({ status: "cancelled", error: "not called: expected after the judge's window" });
  });

  it("calls everyone while fewer than two are expected in time, then judges once two answered and the rest are expected late", async () => {
    const track = new TrackRecord();
    for (const [name, ms] of [["a", 100], ["b", 800], ["c", 900]] as const) track.observe(TASK, name, "ok", ms);
    const { clock, list, judge, run } = judging({ track });
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 1]);
    await clock.advance(100);
    list[0]!.answer("one answer");
    await clock.advance(200);
    expect(judge.started).toBe(0);
    list[1]!.answer("another answer, earlier than usual");
    await clock.advance(0);
    expect([judge.started, list[2]!.aborted]).toEqual([1, 1]);
    judge.answer(verdict);
    expect((await run).candidates.map((c) => c.status)).toEqual(["ok", "ok", "cancelled"]);
  });

  it("lets an exploring query call every candidate and wait for the window, so late candidates' records stay fresh", async () => {
    const track = new TrackRecord();
    for (const [name, ms] of [["a", 100], ["b", 200], ["c", 900]] as const) track.observe(TASK, name, "ok", ms);
    const { clock, list, judge, run } = judging({ track, requestId: "r1" });
    await clock.advance(0);
    expect(list.map((p) => p.started)).toEqual([1, 1, 1]);
    list[0]!.answer("one answer");
    list[1]!.answer("another answer");
    await clock.advance(650);
    expect(judge.started).toBe(0);
    list[2]!.answer("a third answer, in time after all");
    await clock.advance(0);
    expect(judge.started).toBe(1);
    judge.answer(verdict);
    await run;
    expect(track.track(TASK, "c").latencyMs).toBeCloseTo(900 + 0.2 * (650 - 900), 9);
  });
});
