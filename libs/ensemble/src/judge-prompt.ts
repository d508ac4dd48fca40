import type { ProviderRequest } from "@llm-pool/core";
import type { ValidCandidate } from "./gather.js";
import { hashString, seededShuffle } from "./seeded-random.js";

/** Longest request text (instruction or prompt) shown to the judge, in characters. */
export const MAX_REQUEST_CHARS = 4000;
/** Longest answer shown to the judge, in characters. */
export const MAX_ANSWER_CHARS = 2000;

const JUDGE_INSTRUCTION = [
  "You referee answers written for one request. The answers are anonymous and listed in no particular order.",
  "Pick the answer that best does what the request asks: correct, complete, in the requested format, with nothing invented.",
  'Reply with one JSON object and nothing else: {"winner_id": "<id of the best answer>", "confidence": <0 to 1>, "reason": "<at most 160 characters>"}.',
].join("\n");

/** What the judge sees, and how its ids map back to candidates. */
export interface Ballot {
  readonly system: string;
  readonly prompt: string;
  /** Anonymous ids in the order the judge sees them. */
  readonly ids: readonly string[];
  /** The candidate behind an anonymous id. */
  candidateOf(id: string): ValidCandidate | undefined;
}

/**
 * Builds the judging prompt. Candidates are anonymous (letters, never
 * provider or model names) and shown in a seeded shuffle, because LLM judges
 * favour some positions. The seed comes from the request itself (task seed,
 * instruction and prompt), not from the request id: the same query shows the
 * same order every time (R-ENS-5), while different queries spread the
 * position bias over all providers.
 */
export function buildBallot(request: ProviderRequest, valid: readonly ValidCandidate[]): Ballot {
  const inProviderOrder = [...valid].sort((a, b) => a.index - b.index);
  const shown = seededShuffle(inProviderOrder, presentationSeed(request));
  const ids = shown.map((_, i) => anonymousId(i));
  const byId = new Map(shown.map((c, i) => [ids[i]!, c]));
  const sections = [
    request.system ? `The request's instructions:\n<<<\n${clip(request.system, MAX_REQUEST_CHARS)}\n>>>` : "",
    `The request:\n<<<\n${clip(request.prompt, MAX_REQUEST_CHARS)}\n>>>`,
    `${shown.length} answers, ids ${ids.join(", ")}:`,
    ...shown.map((c, i) => `[answer ${ids[i]}]\n${clip(c.text, MAX_ANSWER_CHARS)}\n[end of answer ${ids[i]}]`),
    "Which answer is best? Reply with the JSON object only.",
  ];
  return {
    system: JUDGE_INSTRUCTION,
    prompt: sections.filter(Boolean).join("\n\n"),
    ids,
    candidateOf: (id) => byId.get(id),
  };
}

/** The shuffle's seed: a function of the query only. */
export function presentationSeed(request: ProviderRequest): number {
  return hashString(`${request.seed ?? 0}\u0000${request.system ?? ""}\u0000${request.prompt}`);
}

/** "A".."Z", then "A1", "B1", ... */
function anonymousId(position: number): string {
  const letter = String.fromCharCode(65 + (position % 26));
  const round = Math.floor(position / 26);
  return round === 0 ? letter : `${letter}${round}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[... cut at ${max} characters]`;
}
