import type { FinishReason, ProviderResult } from "@llm-pool/core";
import { formatJsonPath, readJsonPath, type JsonPath } from "./json-path.js";
import { ProviderError } from "./provider-error.js";

/** Where a driver finds each part of the answer in the engine's JSON body. */
export interface AnswerShape {
  readonly text: JsonPath;
  readonly promptTokens?: JsonPath;
  readonly completionTokens?: JsonPath;
  /** A value in `lengthValues` means max_tokens cut the answer; anything else is a normal stop. */
  readonly finishReason?: JsonPath;
  readonly lengthValues?: readonly string[];
  readonly model?: JsonPath;
}

/**
 * Reads an answer by its shape. A body without a text string is malformed;
 * missing token counts read as 0 (some engines leave usage out).
 */
export function readAnswer(provider: string, body: unknown, shape: AnswerShape, configuredModel: string): ProviderResult {
  const text = readJsonPath(body, shape.text);
  if (typeof text !== "string") {
    throw new ProviderError(provider, "malformed", `the engine's answer has no text at ${formatJsonPath(shape.text)}`);
  }
  const model = shape.model ? readJsonPath(body, shape.model) : undefined;
  return {
    text,
    model: typeof model === "string" && model !== "" ? model : configuredModel,
    usage: {
      promptTokens: tokenCount(body, shape.promptTokens),
      completionTokens: tokenCount(body, shape.completionTokens),
    },
    finishReason: finishReason(body, shape),
  };
}

function tokenCount(body: unknown, path: JsonPath | undefined): number {
  const value = path ? readJsonPath(body, path) : undefined;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}

function finishReason(body: unknown, shape: AnswerShape): FinishReason {
  const value = shape.finishReason ? readJsonPath(body, shape.finishReason) : undefined;
  return typeof value === "string" && (shape.lengthValues ?? ["length"]).includes(value) ? "length" : "stop";
}
