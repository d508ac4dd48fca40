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
  return answerOf(text, (path) => readJsonPath(body, path), shape, configuredModel);
}

/**
 * The fields of a streamed answer other than its text, as its frames carry
 * them: each from the last frame that has it (usage and the finish reason
 * come near the end, the model in every frame).
 */
export class StreamedFields {
  readonly #shape: AnswerShape;
  readonly #seen = new Map<JsonPath, unknown>();

  constructor(shape: AnswerShape) {
    this.#shape = shape;
  }

  see(frame: unknown): void {
    for (const path of [this.#shape.promptTokens, this.#shape.completionTokens, this.#shape.finishReason, this.#shape.model]) {
      if (!path) continue;
      const value = readJsonPath(frame, path);
      if (value !== undefined && value !== null) this.#seen.set(path, value);
    }
  }

  /** The answer: the pieces' text joined, with the fields seen. */
  answer(text: string, configuredModel: string): ProviderResult {
    return answerOf(text, (path) => this.#seen.get(path), this.#shape, configuredModel);
  }
}

function answerOf(text: string, read: (path: JsonPath) => unknown, shape: AnswerShape, configuredModel: string): ProviderResult {
  const model = shape.model ? read(shape.model) : undefined;
  return {
    text,
    model: typeof model === "string" && model !== "" ? model : configuredModel,
    usage: {
      promptTokens: tokenCount(read, shape.promptTokens),
      completionTokens: tokenCount(read, shape.completionTokens),
    },
    finishReason: finishReason(read, shape),
  };
}

function tokenCount(read: (path: JsonPath) => unknown, path: JsonPath | undefined): number {
  const value = path ? read(path) : undefined;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}

function finishReason(read: (path: JsonPath) => unknown, shape: AnswerShape): FinishReason {
  const value = shape.finishReason ? read(shape.finishReason) : undefined;
  return typeof value === "string" && (shape.lengthValues ?? ["length"]).includes(value) ? "length" : "stop";
}
