import { describe, expect, it } from "vitest";
import { splitDeadline } from "./deadline-split.js";

describe("splitDeadline (R-QOS-2)", () => {
  it("R-QOS-2: gives the candidates 70% and the judge 30% of the deadline after the margin by default", () => {
    expect(splitDeadline({ totalMs: 1200 })).toEqual({ totalMs: 1200, marginMs: 30, candidateMs: 819, judgeMs: 351, judge: true });
    expect(splitDeadline({ totalMs: 1000, marginMs: 0 })).toEqual({ totalMs: 1000, marginMs: 0, candidateMs: 700, judgeMs: 300, judge: true });
  });

  it("follows the configured judge share and margin", () => {
    expect(splitDeadline({ totalMs: 1500, judgeShare: 0.4, marginMs: 100 })).toEqual({
      totalMs: 1500,
      marginMs: 100,
      candidateMs: 840,
      judgeMs: 560,
      judge: true,
    });
  });

  it("gives every millisecond to the candidates when there is no judge share", () => {
    expect(splitDeadline({ totalMs: 1200, judgeShare: 0 })).toEqual({ totalMs: 1200, marginMs: 30, candidateMs: 1170, judgeMs: 0, judge: false });
  });

  it("never lets the margin take more than half of a tiny deadline", () => {
    expect(splitDeadline({ totalMs: 40, marginMs: 30, minJudgeMs: 0 })).toEqual({ totalMs: 40, marginMs: 20, candidateMs: 14, judgeMs: 6, judge: true });
    expect(splitDeadline({ totalMs: 1 })).toEqual({ totalMs: 1, marginMs: 0, candidateMs: 1, judgeMs: 0, judge: false });
  });

  it("drops the judge when its share is too small to answer in, and says so", () => {
    // 150 - 30 = 120 ms; 30% is 36 ms, under the 50 ms a verdict needs.
    expect(splitDeadline({ totalMs: 150 })).toEqual({ totalMs: 150, marginMs: 30, candidateMs: 120, judgeMs: 0, judge: false });
    expect(splitDeadline({ totalMs: 200 })).toEqual({ totalMs: 200, marginMs: 30, candidateMs: 119, judgeMs: 51, judge: true });
    expect(splitDeadline({ totalMs: 1200, minJudgeMs: 400 }).judge).toBe(false);
  });

  it("treats a spent or negative deadline as nothing left, and floors fractions", () => {
    expect(splitDeadline({ totalMs: 0 })).toEqual({ totalMs: 0, marginMs: 0, candidateMs: 0, judgeMs: 0, judge: false });
    expect(splitDeadline({ totalMs: -5 })).toEqual({ totalMs: 0, marginMs: 0, candidateMs: 0, judgeMs: 0, judge: false });
    expect(splitDeadline({ totalMs: 1000.9, marginMs: 0 })).toMatchObject({ totalMs: 1000, candidateMs: 700, judgeMs: 300 });
  });

  it("always adds up to the whole deadline in whole milliseconds", () => {
    const broken: string[] = [];
    for (let totalMs = 0; totalMs <= 3000; totalMs += 7) {
      for (const judgeShare of [0, 0.1, 0.25, 0.3, 0.5, 0.9]) {
        for (const marginMs of [0, 30, 250]) {
          const s = splitDeadline({ totalMs, judgeShare, marginMs });
          const parts = [s.candidateMs, s.judgeMs, s.marginMs];
          const whole = parts.every((v) => Number.isInteger(v) && v >= 0) && s.candidateMs + s.judgeMs + s.marginMs === totalMs;
          if (!whole || (s.judge && s.judgeMs < 50)) broken.push(JSON.stringify({ totalMs, judgeShare, marginMs, s }));
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("gives a measured judge what it needs instead of its share, never more than maxJudgeShare (R-ENS-4)", () => {
    // JUDGE passes the budget left after the orchestrator's margin, so no second margin here.
    expect(splitDeadline({ totalMs: 3970, marginMs: 0, judgeNeedMs: 1450.2 })).toEqual({
      totalMs: 3970, marginMs: 0, candidateMs: 2519, judgeMs: 1451, judge: true,
    });
    expect(splitDeadline({ totalMs: 3970, marginMs: 0, judgeNeedMs: 3000 })).toMatchObject({ candidateMs: 1588, judgeMs: 2382 });
    expect(splitDeadline({ totalMs: 3970, marginMs: 0, judgeNeedMs: 3000, maxJudgeShare: 0.5 })).toMatchObject({ judgeMs: 1985 });
    // A fast judge leaves the candidates more than their 70%.
    expect(splitDeadline({ totalMs: 1200, judgeNeedMs: 120 })).toMatchObject({ candidateMs: 1050, judgeMs: 120, judge: true });
    expect(splitDeadline({ totalMs: 1200, judgeNeedMs: 20 })).toMatchObject({ candidateMs: 1170, judgeMs: 0, judge: false });
    expect(splitDeadline({ totalMs: 1200, judgeShare: 0, judgeNeedMs: 300 }).judge).toBe(false);
  });

  it("refuses inputs that make no sense", () => {
    expect(() => splitDeadline({ totalMs: Number.NaN })).toThrow(RangeError);
    expect(() => splitDeadline({ totalMs: 1000, judgeShare: 1 })).toThrow(RangeError);
    expect(() => splitDeadline({ totalMs: 1000, judgeShare: -0.1 })).toThrow(RangeError);
    expect(() => splitDeadline({ totalMs: 1000, marginMs: -1 })).toThrow(RangeError);
    expect(() => splitDeadline({ totalMs: 1000, minJudgeMs: -1 })).toThrow(RangeError);
    expect(() => splitDeadline({ totalMs: 1000, judgeNeedMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => splitDeadline({ totalMs: 1000, judgeNeedMs: -1 })).toThrow(RangeError);
    expect(() => splitDeadline({ totalMs: 1000, maxJudgeShare: 1 })).toThrow(RangeError);
  });
});
