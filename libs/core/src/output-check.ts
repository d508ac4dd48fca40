import type { OutputSpec } from "./provider.js";

export type OutputVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The parse-level check of an engine's text: text must not be empty, JSON
 * must parse. The ensemble's output validator adds the JSON Schema check
 * (R-ENS-6) on top of it.
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
