import type { OutputSpec } from "@llm-pool/core";
import type { Similarity } from "../similarity.js";
import { createJsonSimilarity } from "./json-agreement.js";
import { createTextSimilarity } from "./text-blend.js";

/** Picks the similarity for an output format. */
export type SimilarityChooser = (output: OutputSpec) => Similarity;

/**
 * Canonical-JSON field agreement for `json` and `json_schema` outputs, the
 * Levenshtein + MinHash blend for `text`. The metrics are built once and
 * shared by every request (they hold only a signature cache).
 */
export function createSimilarityChooser(): SimilarityChooser {
  const text = createTextSimilarity();
  const json = createJsonSimilarity(text);
  return (output) => (output.kind === "text" ? text : json);
}
