import type { DriversByKind } from "./driver.js";
import { createEmbeddedDriver } from "./embedded/index.js";
import { createHttpDriver } from "./http/index.js";
import { createOllamaDriver } from "./ollama/index.js";
import { createOpenAiDriver } from "./openai/index.js";

/** Every driver the config can name. Adding one is a folder and a line here (and its config schema). */
export const DEFAULT_DRIVERS: DriversByKind = {
  ollama: createOllamaDriver,
  openai: createOpenAiDriver,
  http: createHttpDriver,
  embedded: createEmbeddedDriver,
};
