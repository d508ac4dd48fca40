import { describe, expect, it } from "vitest";
import { sortedKeyJson } from "./sorted-key-json.js";

describe("sortedKeyJson", () => {
  it("sorts object keys at every depth and keeps array order", () => {
    expect(sortedKeyJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it("gives one text for equal values built in different orders", () => {
    expect(sortedKeyJson({ x: 1, y: "é" })).toBe(sortedKeyJson(JSON.parse('{"y":"é","x":1}')));
  });

  it("drops undefined members as JSON does", () => {
    expect(sortedKeyJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(sortedKeyJson(undefined)).toBe("null");
  });
});
