import type { OutputValidator } from "./output-validator.js";

/**
 * The shape of a judge's verdict, sent to the judge as its json_schema output
 * (engines with structured output then cannot answer anything else). The
 * same shape as prompts/schemas/judge.json; a spec keeps the two in step.
 */
export const VERDICT_SCHEMA: Readonly<Record<string, unknown>> = Object.freeze({
  type: "object",
  required: ["winner_id", "confidence", "reason"],
  properties: {
    winner_id: { type: ["string", "null"], maxLength: 64 },
    confidence: { type: "number", minimum: 0, maximum: 1 },
    reason: { type: "string", maxLength: 160 },
  },
});

export type VerdictReading =
  | { readonly ok: true; readonly winnerId: string; readonly confidence: number; readonly reason: string }
  | { readonly ok: false; readonly problem: string };

/**
 * Reads a judge's answer: JSON (a Markdown code fence around it is
 * tolerated), valid against VERDICT_SCHEMA, naming one of `ids`. Anything
 * else is unusable and sends the request down the fallback chain.
 */
export function readVerdict(text: string, ids: readonly string[], validator: OutputValidator): VerdictReading {
  const body = unfence(text);
  const check = validator.check(body, { kind: "json_schema", schema: VERDICT_SCHEMA });
  if (!check.ok) return { ok: false, problem: check.reason };
  const verdict = JSON.parse(body) as Partial<Record<"winner_id" | "confidence" | "reason", unknown>> | null;
  // Re-checked here so that a lenient validator can never let a malformed verdict through.
  if (typeof verdict !== "object" || verdict === null) return { ok: false, problem: "the verdict is not an object" };
  if (verdict.winner_id === null) return { ok: false, problem: "the judge chose no answer (winner_id null)" };
  if (typeof verdict.winner_id !== "string") return { ok: false, problem: "winner_id is not a string" };
  const confidence = typeof verdict.confidence === "number" ? Math.min(1, Math.max(0, verdict.confidence)) : 0;
  const reason = typeof verdict.reason === "string" ? verdict.reason.slice(0, 160) : "";
  const winnerId = verdict.winner_id.trim();
  if (!ids.includes(winnerId)) {
    return { ok: false, problem: `winner_id "${winnerId.slice(0, 16)}" is not one of ${ids.join(", ")}` };
  }
  return { ok: true, winnerId, confidence, reason };
}

function unfence(text: string): string {
  const fenced = /^\s*```[a-zA-Z]*\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return fenced ? fenced[1]! : text;
}
