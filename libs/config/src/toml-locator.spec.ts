import { describe, expect, it } from "vitest";
import { TomlLocator } from "./toml-locator.js";

const SOURCE = `# a comment with [brackets] and key = value
title = "x"

[server]
listen = "127.0.0.1:7070"   # trailing comment
  max_body_bytes = 1

[[providers]]
name = "a"
tasks = [
  "judge",   # comment inside an array
  "expand_queries",
]

[[providers]]
name = "b"
body = """
not = a key
[not.a.header]
"""
headers = { Authorization = "Bearer \${T}", "X-Odd.Name" = "v" }

[tenancy.tenants.vvtv]
keys = [{ id = "a", secret_env = "A" }, { id = "b", secret = "oops" }]

[tenancy.tenants."odd.id"]
projects.list = ["p"]
`;

describe("TomlLocator", () => {
  const locator = TomlLocator.fromSource(SOURCE);

  it("places keys of a table at their line and column", () => {
    expect(locator.exact(["server", "listen"])).toEqual({ line: 5, column: 1 });
    expect(locator.exact(["server", "max_body_bytes"])).toEqual({ line: 6, column: 3 });
  });

  it("counts [[array]] tables to give each entry its index", () => {
    expect(locator.exact(["providers", 0])).toEqual({ line: 8, column: 1 });
    expect(locator.exact(["providers", 1, "name"])).toEqual({ line: 16, column: 1 });
  });

  it("places the elements of a multi-line array", () => {
    expect(locator.exact(["providers", 0, "tasks", 1])).toEqual({ line: 12, column: 3 });
  });

  it("skips multi-line strings, whose content looks like TOML", () => {
    expect(locator.exact(["providers", 1, "not"])).toBeUndefined();
    expect(locator.exact(["not", "a", "header"])).toBeUndefined();
    expect(locator.exact(["providers", 1, "headers"])?.line).toBe(21);
  });

  it("places keys inside inline tables, quoted or not", () => {
    expect(locator.exact(["providers", 1, "headers", "Authorization"])).toEqual({ line: 21, column: 13 });
    expect(locator.exact(["providers", 1, "headers", "X-Odd.Name"])?.line).toBe(21);
    expect(locator.exact(["tenancy", "tenants", "vvtv", "keys", 1, "secret"])).toEqual({ line: 24, column: 53 });
  });

  it("resolves quoted and dotted keys", () => {
    expect(locator.exact(["tenancy", "tenants", "odd.id"])?.line).toBe(26);
    expect(locator.exact(["tenancy", "tenants", "odd.id", "projects", "list"])?.line).toBe(27);
  });

  it("falls back to the nearest written ancestor for a missing field", () => {
    expect(locator.locate(["providers", 1, "model"])).toEqual({ line: 15, column: 1 });
    expect(locator.locate(["qos", "max_deadline_ms"])).toBeUndefined();
  });
});
