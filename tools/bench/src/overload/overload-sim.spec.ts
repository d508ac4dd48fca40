// The overload simulator runs the shipped pool on a virtual clock: its counts are deterministic for a seed, so
// these specs check them (never a wall-clock time).
import { describe, expect, it } from "vitest";
import { overloadBench } from "./overload-bench.js";
import { NEW_POLICY, OLD_POLICY } from "./overload-policy.js";
import { stepRows, tenantRows } from "./overload-report.js";
import { drawOverloadQueries, loadRamp, shortDeadlines, tenantBurst } from "./overload-scenario.js";
import { simulateOverload } from "./overload-sim.js";

describe("R-QOS-5 overload bench on the simulated Mac mini", () => {
  it("draws the same world for every policy: arrivals per step follow the offered load", () => {
    const scenario = loadRamp(20);
    const queries = drawOverloadQueries(scenario);
    expect(drawOverloadQueries(scenario)).toEqual(queries);
    const perStep = scenario.steps.map((_, i) => queries.filter((q) => q.step === i).length);
    // 0.5x, 1x, 1.5x, 2x, 3x, 0.5x of 5 answers/s for 20 s: about 50, 100, 150, 200, 300, 50.
    perStep.forEach((n, i) => expect(Math.abs(n - scenario.steps[i]!.perTenant[""]! * 100)).toBeLessThan(0.3 * n + 10));
  });

  it("the short-deadline attack opens breakers under the old rules and none now; the ordinary client keeps its answers", async () => {
    const scenario = shortDeadlines(60);
    const before = await simulateOverload(scenario, OLD_POLICY);
    const now = await simulateOverload(scenario, NEW_POLICY);
    expect(before.breakerOpens.length).toBeGreaterThan(0);
    expect(now.breakerOpens).toEqual([]);
    const app = tenantRows(scenario, now).filter((r) => r.tenant === "app");
    expect(Math.min(...app.map((r) => r.answered))).toBeGreaterThan(0.95);
  });

  it("under 3x load the pool refuses the excess and keeps answering at about the engine's capacity", async () => {
    const scenario = { ...loadRamp(20), steps: loadRamp(20).steps.slice(3, 5) };
    const rows = stepRows(scenario, await simulateOverload(scenario, NEW_POLICY));
    for (const row of rows) {
      expect(row.goodput).toBeGreaterThan(0.9);
      expect(row.refused).toBeGreaterThan(0.3);
      expect(row.breakerOpens).toBe(0);
    }
  });

  it("a tenant sending 5x another's rate leaves the other's answers in time (fair share)", async () => {
    const scenario = tenantBurst(30);
    const rows = tenantRows(scenario, await simulateOverload(scenario, NEW_POLICY)).filter((r) => r.tenant === "b");
    expect(rows[1]!.answered).toBeGreaterThan(rows[0]!.answered - 0.1);
  });
});

describe("npm run bench -- overload --no-live", () => {
  it("prints the ramp, the tenants, the short deadlines and the limiter, each policy with its checks", async () => {
    const sections = await overloadBench({ live: false, stepSeconds: 10 });
    expect(sections.map((s) => s.title)).toEqual([
      "overload (sim): offered load 0.5x to 3x capacity and back",
      "overload (sim): one tenant sends 5x another's rate",
      "overload (sim): a client asks for deadlines shorter than the engine's answers",
      "overload (sim): max_concurrency 8 on an engine of 2 slots",
    ]);
    expect(sections[0]!.table.split("\n")).toHaveLength(2 + 12);
    expect(sections[0]!.checks.filter((c) => /^ {2}(ok|FAIL)/.test(c))).toHaveLength(8);
  });
});
