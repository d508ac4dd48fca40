import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DRIFT_SCENARIOS, formatDriftTable, weightedDrift } from "./weighted-drift.js";

// A virtual clock: the run is deterministic for its seed, so the learning itself can be checked, not only the shape.
describe("weightedDrift: WEIGHTED after its leader degrades (R-ENS-3)", () => {
  it("moves to the rival within a few queries of a slowdown, and back only with exploration", async () => {
    const rows = await weightedDrift({ queries: 150, degradeAt: 30, recoverAt: 60, scenarios: [DRIFT_SCENARIOS[0]!] });
    expect(rows.map((r) => [r.scenario, r.exploration])).toEqual([
      ["leader slows down", true],
      ["leader slows down", false],
    ]);
    const [explore, off] = rows as [(typeof rows)[number], (typeof rows)[number]];
    expect(explore.movedAfter).toBeLessThanOrEqual(5);
    expect(explore.backAfter).toBeDefined();
    expect(off.backAfter).toBeUndefined();
    // Slow calls are never waited for once the rival leads.
    expect(explore.p50[1]).toBeLessThan(500);
    expect(explore.explored).toBeGreaterThan(0);
    expect(explore.paid).toBeLessThanOrEqual(explore.explored);
    expect([off.explored, off.paid]).toEqual([0, 0]);
  });

  it("gives the same rows for the same seed, one table line per row", async () => {
    const options = { queries: 40, degradeAt: 10, recoverAt: 20, seed: 3 };
    const rows = await weightedDrift(options);
    expect(await weightedDrift(options)).toEqual(rows);
    expect(rows).toHaveLength(2 * DRIFT_SCENARIOS.length);
    expect(formatDriftTable(rows).split("\n")).toHaveLength(2 + rows.length);
  });
});

describe("npm run bench -- weighted", () => {
  it("prints the drift table, as docs/ENSEMBLE.md shows it", async () => {
    const root = fileURLToPath(new URL("../../../../", import.meta.url));
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "bench", "--", "weighted"], { cwd: root, timeout: 120_000 });
    expect(stdout).toContain("## weighted: a degrading leader");
    const table = stdout.slice(stdout.indexOf("scenario "));
    expect(table.split("\n").filter((line) => /^(leader|one invalid)/.test(line))).toHaveLength(2 * DRIFT_SCENARIOS.length);
  }, 120_000);
});
