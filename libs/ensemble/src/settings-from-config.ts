// The mapping from a config snapshot lives in core, which builds the plans.
export { ensembleSettingsFrom } from "@llm-pool/core";
