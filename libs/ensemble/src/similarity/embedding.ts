/**
 * The hook for embedding similarity (R-ENS-2 lists embeddings as optional).
 * Not implemented: `Similarity.score` is synchronous, so an embedding metric
 * would embed every valid candidate once (one batched engine call within the
 * deadline) and then score pairs by cosine from the vectors it holds. A
 * provider-backed Embedder would plug in here and into `similarity/choose.ts`.
 */
export interface Embedder {
  /** One vector per text, in order. Honours the signal like Provider.infer. */
  embed(texts: readonly string[], signal: AbortSignal): Promise<readonly Float32Array[]>;
}
