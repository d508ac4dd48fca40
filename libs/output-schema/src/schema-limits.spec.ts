import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_INSTANCE_LIMITS, DEFAULT_SCHEMA_LIMITS } from "./schema-limits.js";

const API_DOC = join(dirname(fileURLToPath(import.meta.url)), "../../../docs/LLMPOOL_API.md");

describe("the limits on client schemas that docs/LLMPOOL_API.md states are the ones in force", () => {
  const section = readFileSync(API_DOC, "utf8").split("### Output schemas a client sends")[1]?.split("\n### ")[0] ?? "";

  it.each([
    ["| Nesting | 32 levels", DEFAULT_SCHEMA_LIMITS.maxDepth, 32],
    ["| Values | 1024 JSON values", DEFAULT_SCHEMA_LIMITS.maxValues, 1_024],
    ["| Subschemas | 256,", DEFAULT_SCHEMA_LIMITS.maxExpandedSubschemas, 256],
    ["at most about 256 program steps, all together 1024", DEFAULT_SCHEMA_LIMITS.maxPatternSize, 256],
    ["at most about 256 program steps, all together 1024", DEFAULT_SCHEMA_LIMITS.maxTotalPatternSize, 1_024],
    ["at most 262144 characters", DEFAULT_INSTANCE_LIMITS.maxChars, 262_144],
    ["64 levels of\nnesting", DEFAULT_INSTANCE_LIMITS.maxDepth, 64],
    ["and 4096 JSON values", DEFAULT_INSTANCE_LIMITS.maxValues, 4_096],
  ])("%s", (text, inForce, documented) => {
    expect(section).toContain(text);
    expect(inForce).toBe(documented);
  });
});
