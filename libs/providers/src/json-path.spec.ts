import { describe, expect, it } from "vitest";
import { formatJsonPath, parseJsonPath, readJsonPath } from "./json-path.js";

describe("R-PRV-4 JSON paths", () => {
  const body = { choices: [{ message: { content: "hi" } }, { text: "second" }], usage: { prompt_tokens: 3 } };

  it("reads dotted keys and [n] indexes, with or without a leading $.", () => {
    expect(readJsonPath(body, parseJsonPath("choices[0].message.content"))).toBe("hi");
    expect(readJsonPath(body, parseJsonPath("$.choices[1].text"))).toBe("second");
    expect(readJsonPath(body, parseJsonPath("$.usage.prompt_tokens"))).toBe(3);
    expect(readJsonPath([[1, 2]], parseJsonPath("$"))).toEqual([[1, 2]]);
  });

  it("a missing step or a step of the wrong type reads as undefined", () => {
    expect(readJsonPath(body, parseJsonPath("choices[5].message"))).toBeUndefined();
    expect(readJsonPath(body, parseJsonPath("usage[0]"))).toBeUndefined();
    expect(readJsonPath(body, parseJsonPath("choices.message"))).toBeUndefined();
    expect(readJsonPath({}, parseJsonPath("constructor"))).toBeUndefined();
  });

  it("anything outside the subset is refused at parse time", () => {
    expect(() => parseJsonPath("choices[*].text")).toThrow(/not a supported JSON path/);
    expect(() => parseJsonPath("a..b")).toThrow();
    expect(formatJsonPath(parseJsonPath("$.a.b[0][1].c"))).toBe("a.b[0][1].c");
  });
});
