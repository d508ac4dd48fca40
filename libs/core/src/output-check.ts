import type { OutputSpec } from "./provider.js";

export type OutputVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Checks an engine's text against the wanted output shape. JSON outputs must
 * parse; schema validation of JSON outputs is added by the ensemble issue
 * (R-ENS-6) behind the same function.
 */
export function checkOutput(text: string, output: OutputSpec): OutputVerdict {
  if (output.kind === "text") return text.trim() === "" ? { ok: false, reason: "empty output" } : { ok: true };
  try {
    JSON.parse(text);
    return { ok: true };
  } catch {
    return { ok: false, reason: "output is not valid JSON" };
  }
}
