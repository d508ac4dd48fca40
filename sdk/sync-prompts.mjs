#!/usr/bin/env node
// Writes prompts/ (the task templates and their output schemas, the pool's own files) into each
// SDK as one prompts.json, so the `local` backend (R-SDK-5) renders the same prompts as the pool
// from inside a published package. Run after changing prompts/: `node sdk/sync-prompts.mjs`.
// Each SDK's suite fails while its copy differs from prompts/.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const targets = [
  "sdk/python/src/llmpool/prompts.json",
  "sdk/ts/llmpool-client/src/prompts.json",
  "sdk/rust/llmpool_sdk/src/prompts.json",
];

/** Task name -> { system: the template text, schema: the output JSON Schema }, in name order. */
export function bundlePrompts(promptsDir) {
  const tasks = {};
  for (const file of readdirSync(promptsDir).filter((f) => f.endsWith(".md")).sort()) {
    const task = file.slice(0, -".md".length);
    tasks[task] = {
      system: readFileSync(join(promptsDir, file), "utf8"),
      schema: JSON.parse(readFileSync(join(promptsDir, "schemas", `${task}.json`), "utf8")),
    };
  }
  const bundle = { generated_by: "node sdk/sync-prompts.mjs from prompts/; do not edit", tasks };
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

if (process.argv[1] === import.meta.filename) {
  const text = bundlePrompts(join(root, "prompts"));
  for (const target of targets) writeFileSync(join(root, target), text);
  console.log(`wrote ${targets.join(", ")}`);
}
