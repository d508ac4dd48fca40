export { createEnsemble, implementedStrategies } from "./registry.js";
export { fastest } from "./fastest.js";
export type { Strategy } from "./strategy.js";
