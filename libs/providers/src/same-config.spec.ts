import { describe, expect, it } from "vitest";
import { sameConfig } from "./same-config.js";

describe("R-CFG-2 provider configs compared deeply across reloads", () => {
  it("equal values in different objects are the same; any difference is not", () => {
    const a = { name: "p", tasks: ["judge"], headers: { A: "1" }, timeout_ms: null };
    expect(sameConfig(a, structuredClone(a))).toBe(true);
    expect(sameConfig(a, { ...a, tasks: ["judge", "site_tactics"] })).toBe(false);
    expect(sameConfig(a, { ...a, headers: { A: "2" } })).toBe(false);
    expect(sameConfig(a, { ...a, extra: undefined })).toBe(false);
    expect(sameConfig([1, [2]], [1, [2]])).toBe(true);
    expect(sameConfig({ 0: 1 }, [1])).toBe(false);
  });
});
