import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseKeepAlive } from "./keep-alive.js";
import { loadScenarioFile } from "./scenario-file.js";
import { ScenarioError, validateScenario } from "./scenario-validate.js";

const scenarios = fileURLToPath(new URL("../scenarios/", import.meta.url));

function issuesOf(input: unknown): string[] {
  try {
    validateScenario(input);
  } catch (err) {
    if (err instanceof ScenarioError) return err.issues;
    throw err;
  }
  throw new Error("expected the scenario to be rejected");
}

describe("scenario validation", () => {
  it("fills defaults: 4 slots, seed 0, keep-alive 5m, zero latency, echo-hash answers, family = model name", () => {
    const s = validateScenario({ models: { "phi3:mini": {} } });
    expect(s).toMatchObject({ seed: 0, slots: 4, timeScale: 1, defaultKeepAliveMs: 300_000 });
    expect(s.models.get("phi3:mini")).toMatchObject({
      family: "phi3:mini",
      latency: { kind: "fixed", ms: 0 },
      answers: [{ mode: "echo-hash" }],
      faults: { probabilities: [], script: [], retryAfterS: 1, slowTokenMs: 250 },
    });
  });

  it("accepts one answer rule or a list, and keeps the fault probabilities and script", () => {
    const s = validateScenario({
      models: {
        a: { answers: { mode: "text", text: "hi" }, faults: { probabilities: { http_500: 0.2, reset: 0.1 }, script: ["hang", "none"] } },
        b: { answers: [{ mode: "json", match: { contains: "JUDGE" }, json: { winner: 1 } }, { mode: "invalid-json" }] },
      },
    });
    expect(s.models.get("a")?.answers).toEqual([{ mode: "text", text: "hi" }]);
    expect(s.models.get("a")?.faults).toMatchObject({ probabilities: [["http_500", 0.2], ["reset", 0.1]], script: ["hang", "none"] });
    expect(s.models.get("b")?.answers).toHaveLength(2);
  });

  it("names the bad field by its path, for every problem at once", () => {
    const issues = issuesOf({
      slots: 0,
      models: {
        "phi3:mini": { latncy: {}, latency: { kind: "throughput", tokens_per_s: -1, prompt_tokens_per_s: 100 } },
        m2: { faults: { probabilities: { http_500: 0.7, hang: 0.6 }, script: ["http_500", "explode"] } },
      },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^scenario\.slots: must be >= 1/),
        expect.stringMatching(/^scenario\.models\["phi3:mini"\]\.latncy: unknown field/),
        expect.stringMatching(/^scenario\.models\["phi3:mini"\]\.latency\.tokens_per_s: must be > 0/),
        expect.stringMatching(/^scenario\.models\.m2\.faults\.probabilities: probabilities add up to 1\.3/),
        expect.stringMatching(/^scenario\.models\.m2\.faults\.script\[1\]: must be one of .*"explode"/),
      ]),
    );
  });

  it.each([
    [{}, /scenario\.models: is required/],
    [{ models: {} }, /scenario\.models: must name at least one model/],
    [{ models: { m: { latency: { kind: "gaussian" } } } }, /latency\.kind: must be one of fixed, uniform, lognormal, throughput \(got "gaussian"\)/],
    [{ models: { m: { latency: { kind: "uniform", min_ms: 50, max_ms: 10 } } } }, /latency\.max_ms: must be >= min_ms/],
    [{ models: { m: { latency: { kind: "lognormal", p50_ms: 100, p95_ms: 50 } } } }, /latency\.p95_ms: must be >= p50_ms/],
    [{ models: { m: { latency: { kind: "fixed" } } } }, /latency\.ms: is required/],
    [{ models: { m: { answers: { mode: "poem" } } } }, /answers\.mode: must be one of echo-hash, text, json, invalid-json/],
    [{ models: { m: { answers: [{ mode: "text", text: "x" }, { mode: "json", json: 3 }] } } }, /answers\[1\]\.json: must be an object or an array/],
    [{ models: { m: { answers: { mode: "text", text: "x", match: { regex: "(" } } } } }, /answers\.match\.regex: is not a valid regular expression/],
    [{ default_keep_alive: "soon", models: { m: {} } }, /scenario\.default_keep_alive: invalid keep_alive "soon"/],
    [{ seed: 1.5, models: { m: {} } }, /scenario\.seed: must be an integer/],
  ])("rejects %j", (input, message) => {
    expect(issuesOf(input).join("\n")).toMatch(message);
  });

  it("loads the example scenarios (JSON and TOML)", async () => {
    const mac = await loadScenarioFile(join(scenarios, "mac-mini.json"));
    expect([...mac.models.keys()]).toEqual(["phi3:mini", "llama3.1:8b", "gemma2:9b"]);
    expect(mac.models.get("llama3.1:8b")?.latency.kind).toBe("throughput");
    const faults = await loadScenarioFile(join(scenarios, "faults.json"));
    expect(faults.models.get("scripted:latest")?.faults.script).toContain("hang");
    const voting = await loadScenarioFile(join(scenarios, "voting.toml"));
    expect(voting.models.get("llama3.1:8b")?.family).toBe("shared");
    expect(voting.models.get("gemma2:9b")?.answers[0]).toMatchObject({ mode: "json", match: { contains: "JUDGE" } });
  });

  it("names the file when it cannot be parsed or has the wrong extension", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mock-engine-"));
    await writeFile(join(dir, "bad.toml"), "models = [unclosed");
    await writeFile(join(dir, "bad.yaml"), "models: {}");
    await writeFile(join(dir, "wrong.json"), JSON.stringify({ models: { m: { slots: 2 } } }));
    await expect(loadScenarioFile(join(dir, "bad.toml"))).rejects.toThrow(/invalid scenario file .*bad\.toml/);
    await expect(loadScenarioFile(join(dir, "bad.yaml"))).rejects.toThrow(/unsupported extension "\.yaml"/);
    await expect(loadScenarioFile(join(dir, "wrong.json"))).rejects.toThrow(/wrong\.json:\n.*models\.m\.slots: unknown field/);
  });
});

describe("keep_alive", () => {
  it.each([
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["10s", 10_000],
    ["250ms", 250],
    [0, 0],
    ["0", 0],
    [30, 30_000],
    [-1, Infinity],
    ["-1m", Infinity],
  ])("reads %j as %d ms", (value, ms) => {
    expect(parseKeepAlive(value)).toBe(ms);
  });

  it("refuses anything else", () => {
    expect(() => parseKeepAlive("forever")).toThrow(/invalid keep_alive "forever"/);
    expect(() => parseKeepAlive(true)).toThrow(/invalid keep_alive/);
  });
});
