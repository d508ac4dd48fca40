import { toJson } from "@bufbuild/protobuf";
import { AnswerSchema, type Answer } from "@llm-pool/contract";

/**
 * What the doors add to an OpenAI or Ollama answer under `pool` (R-API-7):
 * the pool's Answer in its proto3 JSON form (as POST /v1/infer returns it),
 * less the output the answer already carries: request id, winner, strategy
 * requested and applied, the ensemble decision, from_cache, usage of every
 * candidate, duration. Strict clients ignore a field they do not know.
 */
export function answerExtension(answer: Answer): Record<string, unknown> {
  const { output: _output, ...rest } = toJson(AnswerSchema, answer) as Record<string, unknown>;
  return rest;
}

/**
 * Why the winning engine stopped, as far as the answer tells: "length" when
 * it used every token the client allowed, else "stop". The Answer does not
 * carry the engine's own reason, and a cut JSON answer would not have passed
 * the pool's output check anyway.
 */
export function finishReason(answer: Answer, maxTokens: number): "stop" | "length" {
  return maxTokens > 0 && (answer.usage?.completionTokens ?? 0) >= maxTokens ? "length" : "stop";
}
