import { describe, expect, it } from "vitest";
import { TrackRecord } from "./track-record.js";

describe("the track record WEIGHTED scores with (R-ENS-3)", () => {
  it("starts a provider at validity 1 with no latency, and moves both by a fifth of each new call", () => {
    const track = new TrackRecord();
    expect(track.track("site_tactics", "a")).toEqual({ validity: 1, latencyMs: undefined, seenAt: -1, exploredAt: -1, stale: false });
    track.observe("site_tactics", "a", "ok", 100);
    expect(track.track("site_tactics", "a")).toEqual({ validity: 1, latencyMs: 100, seenAt: 1, exploredAt: -1, stale: false });
    track.observe("site_tactics", "a", "invalid", 600);
    expect(track.track("site_tactics", "a")).toEqual({ validity: 0.8, latencyMs: 200, seenAt: 2, exploredAt: -1, stale: false });
    expect(track.track("expand_queries", "a").seenAt).toBe(-1);
  });

  it("counts an error against validity only: failing fast is not being fast", () => {
    const track = new TrackRecord();
    track.observe("site_tactics", "a", "ok", 400);
    track.observe("site_tactics", "a", "error", 3);
    expect(track.track("site_tactics", "a")).toMatchObject({ validity: 0.8, latencyMs: 400 });
  });

  it("counts a timeout only past the provider's usual latency: a short deadline is the caller's, not the provider's (R-QOS-4)", () => {
    const track = new TrackRecord();
    track.observe("site_tactics", "a", "ok", 300);
    track.observe("site_tactics", "a", "timeout", 150);
    expect(track.track("site_tactics", "a")).toMatchObject({ validity: 1, latencyMs: 300 });
    track.observe("site_tactics", "a", "timeout", 1300);
    expect(track.track("site_tactics", "a")).toMatchObject({ validity: 0.8, latencyMs: 500 });
    expect(track.track("site_tactics", "a").seenAt).toBe(2);
  });

  it("reads a timeout of a provider with no usual latency as its latency, at least that slow, but no failure (R-ENS-4)", () => {
    const track = new TrackRecord({ staleAfter: 2 });
    // Without it, a candidate JUDGE waits for until it has a record, and that its window always cuts, never gets one.
    track.observe("site_tactics", "a", "timeout", 1600);
    expect(track.track("site_tactics", "a")).toMatchObject({ validity: 1, latencyMs: 1600, seenAt: 1 });
    for (let i = 0; i < 3; i++) track.observe("site_tactics", "b", "ok", 100);
    expect(track.track("site_tactics", "a").stale).toBe(true);
    track.observe("site_tactics", "a", "timeout", 1800);
    expect(track.track("site_tactics", "a")).toMatchObject({ validity: 1, latencyMs: 1800, stale: false });
  });

  it("takes a call's duration only when the decision waited for it: an answer that beat an early stop is a fast sample", () => {
    const track = new TrackRecord();
    track.observe("site_tactics", "a", "ok", 1000);
    track.observe("site_tactics", "a", "ok", 100, false);
    track.observe("site_tactics", "a", "invalid", 100, false);
    expect(track.track("site_tactics", "a")).toMatchObject({ validity: 0.8, latencyMs: 1000 });
  });

  it("reads a call cancelled past the provider's usual latency as at least that slow, and learns nothing from the others", () => {
    const track = new TrackRecord();
    track.observe("site_tactics", "a", "cancelled", 900);
    for (const status of ["breaker_open", "saturated"] as const) track.observe("site_tactics", "a", status, 50);
    expect(track.track("site_tactics", "a").seenAt).toBe(-1);
    track.observe("site_tactics", "a", "ok", 200);
    track.observe("site_tactics", "a", "cancelled", 150);
    expect(track.track("site_tactics", "a")).toMatchObject({ validity: 1, latencyMs: 200 });
    track.observe("site_tactics", "a", "cancelled", 1200);
    expect(track.track("site_tactics", "a")).toMatchObject({ validity: 1, latencyMs: 400 });
  });

  it("marks an explored provider, so the next exploration picks another", () => {
    const track = new TrackRecord();
    track.observe("site_tactics", "a", "ok", 10);
    track.observe("site_tactics", "b", "ok", 10);
    track.explored("site_tactics", "c");
    expect(track.track("site_tactics", "c")).toMatchObject({ latencyMs: undefined, seenAt: -1, exploredAt: 2 });
  });

  it("lets a latency not measured for staleAfter calls of the task go stale: the next measure replaces it", () => {
    const track = new TrackRecord({ staleAfter: 3 });
    track.observe("site_tactics", "a", "ok", 1000);
    for (let i = 0; i < 3; i++) track.observe("site_tactics", "b", "ok", 10);
    // Validity alone is not a measure of latency.
    track.observe("site_tactics", "a", "ok", 50, false);
    expect(track.track("site_tactics", "a")).toMatchObject({ latencyMs: 1000, stale: true });
    track.observe("site_tactics", "a", "ok", 100);
    expect(track.track("site_tactics", "a")).toMatchObject({ latencyMs: 100, stale: false });
    track.observe("site_tactics", "a", "ok", 600);
    expect(track.track("site_tactics", "a").latencyMs).toBe(200);
  });

  it("refuses a smoothing outside (0, 1] and a staleAfter under 1", () => {
    expect(() => new TrackRecord({ smoothing: 0 })).toThrow(RangeError);
    expect(() => new TrackRecord({ smoothing: 1.5 })).toThrow(RangeError);
    expect(() => new TrackRecord({ staleAfter: 0 })).toThrow(RangeError);
  });
});
