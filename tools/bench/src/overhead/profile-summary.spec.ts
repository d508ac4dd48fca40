import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { summarizeProfile } from "./profile-summary.js";

const dir = mkdtempSync(join(tmpdir(), "profile-summary-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url } });

describe("summarizeProfile: a CPU profile's busy time by area", () => {
  it("attributes self time to packages, node modules, our packages and the VM, leaving out idle time and the start-up", () => {
    const profile = {
      nodes: [
        frame(1, "(idle)", ""),
        frame(2, "request", "file:///repo/node_modules/undici/lib/api/api-request.js"),
        frame(3, "infer", "file:///repo/libs/core/src/orchestrator.ts"),
        frame(4, "(garbage collector)", ""),
        frame(5, "emit", "node:events"),
        frame(6, "compile", "node:internal/modules/esm/utils"),
      ],
      // 1 ms each; the first 2 samples fall in the skipped start-up.
      samples: [6, 6, 1, 2, 2, 3, 4, 5, 1, 2],
      timeDeltas: Array(10).fill(1000),
    };
    writeFileSync(join(dir, "CPU.main.cpuprofile"), JSON.stringify(profile));
    writeFileSync(join(dir, "CPU.loader.cpuprofile"), JSON.stringify({ nodes: [], samples: [], timeDeltas: [] }));
    expect(summarizeProfile(dir, 2)).toEqual([
      { area: "undici", share: 3 / 6 },
      { area: "libs/core", share: 1 / 6 },
      { area: "(garbage collector)", share: 1 / 6 },
      { area: "node:events", share: 1 / 6 },
    ]);
  });
});
