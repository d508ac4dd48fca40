import { postJson } from "@llm-pool/mock-engine/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "./manual-clock.js";
import { ScenarioError } from "./scenario-validate.js";
import { startMockEngine, type MockEngine } from "./server.js";

let engine: MockEngine;
beforeAll(async () => {
  engine = await startMockEngine({ scenario: { models: { "phi3:mini": {} } } });
});
afterAll(() => engine.close());
afterEach(() => engine.reset());

describe("mock control endpoints", () => {
  it("GET /__mock/record returns every API request with its fate, and the slot stats", async () => {
    await fetch(`${engine.url}/api/tags`).then((r) => r.json());
    await postJson(`${engine.url}/api/generate`, { model: "phi3:mini", prompt: "p", stream: false }).then((r) => r.json());
    await postJson(`${engine.url}/api/generate`, { model: "ghost", prompt: "p" }).then((r) => r.json());
    const body = (await (await fetch(`${engine.url}/__mock/record`)).json()) as { entries: Array<Record<string, unknown>>; stats: Record<string, unknown> };
    expect(body.entries.map((e) => [e["route"], e["model"], e["fate"], e["status"]])).toEqual([
      ["/api/tags", undefined, "completed", 200],
      ["/api/generate", "phi3:mini", "completed", 200],
      ["/api/generate", "ghost", "error", 404],
    ]);
    expect(body.entries[1]).toMatchObject({ seq: 2, at: expect.any(String), finished_at: expect.any(String), duration_ms: expect.any(Number) });
    expect(body.stats).toMatchObject({ limit: 4, active: 0, waiting: 0, resident: ["phi3:mini"] });
  });

  it("POST /__mock/reset clears the record and the loaded models", async () => {
    await postJson(`${engine.url}/api/generate`, { model: "phi3:mini", prompt: "p", stream: false }).then((r) => r.json());
    expect(await (await postJson(`${engine.url}/__mock/reset`, {})).json()).toEqual({ ok: true });
    expect(engine.record()).toEqual([]);
    expect(engine.stats().resident).toEqual([]);
  });

  it("POST /__mock/scenario swaps the scenario at run time", async () => {
    const res = await postJson(`${engine.url}/__mock/scenario`, { slots: 2, models: { "gemma2:9b": {}, "phi3:mini": {} } });
    expect(await res.json()).toEqual({ ok: true, models: ["gemma2:9b", "phi3:mini"] });
    const tags = (await (await fetch(`${engine.url}/api/tags`)).json()) as { models: Array<{ name: string }> };
    expect(tags.models.map((m) => m.name)).toEqual(["gemma2:9b", "phi3:mini"]);
    expect(engine.stats().limit).toBe(2);
    engine.setScenario({ models: { "phi3:mini": {} } });
  });

  it("POST /__mock/scenario refuses an invalid scenario with 400, naming the field, and keeps the old one", async () => {
    const res = await postJson(`${engine.url}/__mock/scenario`, { models: { m: { latency: { kind: "fixed", ms: -5 } } } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.stringMatching(/^invalid scenario/), issues: ["scenario.models.m.latency.ms: must be >= 0 (got -5)"] });
    expect((await postJson(`${engine.url}/api/generate`, { model: "phi3:mini", prompt: "p", stream: false })).status).toBe(200);
  });

  it("setScenario() throws ScenarioError for an invalid scenario", () => {
    expect(() => engine.setScenario({ models: { m: { answers: { mode: "shout" } } } } as never)).toThrow(ScenarioError);
  });

  it("startMockEngine rejects an invalid scenario before listening", async () => {
    await expect(startMockEngine({ scenario: { models: {} } })).rejects.toThrow(/scenario\.models: must name at least one model/);
  });

  it("unknown paths get a plain 404", async () => {
    const res = await fetch(`${engine.url}/api/pull`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("404 page not found");
  });

  it("record times come from the injected clock", async () => {
    const clock = new ManualClock(Date.UTC(2030, 5, 1));
    const local = await startMockEngine({ clock, scenario: { models: { m: {} } } });
    try {
      await postJson(`${local.url}/api/generate`, { model: "m", prompt: "p", stream: false }).then((r) => r.json());
      expect(local.record()[0]).toMatchObject({ at: "2030-06-01T00:00:00.000Z", duration_ms: 0 });
    } finally {
      await local.close();
    }
  });

  it("close() returns even while a request hangs", async () => {
    const local = await startMockEngine({ scenario: { models: { m: { faults: { script: ["hang"] } } } } });
    const pending = postJson(`${local.url}/api/generate`, { model: "m", prompt: "p" });
    await local.waitForRecord((entries) => entries.length === 1);
    await local.close();
    await expect(pending).rejects.toThrow(TypeError);
  });
});
