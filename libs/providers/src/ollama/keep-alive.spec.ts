import { describe, expect, it } from "vitest";
import { keepAliveMs, ollamaKeepAlive } from "./keep-alive.js";

describe("R-PRV-6 Ollama keep_alive", () => {
  it("durations, bare seconds, 0 (unload at once) and negatives (forever) in ms, as Ollama reads them", () => {
    expect(["30m", "1h30m", "45s", "500ms", "90", "0", "-1"].map(keepAliveMs)).toEqual([
      1_800_000, 5_400_000, 45_000, 500, 90_000, 0, Infinity,
    ]);
  });

  it("goes on the wire as a number when it is a bare number (Go's duration parser wants a unit)", () => {
    expect(["30m", "-1", "0"].map(ollamaKeepAlive)).toEqual(["30m", -1, 0]);
  });
});
