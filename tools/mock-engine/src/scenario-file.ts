import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parse as parseToml } from "smol-toml";
import type { ResolvedScenario } from "./scenario.js";
import { ScenarioError, validateScenario } from "./scenario-validate.js";

/** Reads a scenario from a .json or .toml file and validates it; errors name the file and the field. */
export async function loadScenarioFile(path: string): Promise<ResolvedScenario> {
  const text = await readFile(path, "utf8");
  const ext = extname(path).toLowerCase();
  let parsed: unknown;
  try {
    if (ext === ".toml") parsed = parseToml(text);
    else if (ext === ".json") parsed = JSON.parse(text);
    else throw new Error(`unsupported extension ${JSON.stringify(ext)}: use .json or .toml`);
  } catch (err) {
    throw new ScenarioError([(err as Error).message], `scenario file ${path}`);
  }
  return validateScenario(parsed, `scenario file ${path}`);
}
