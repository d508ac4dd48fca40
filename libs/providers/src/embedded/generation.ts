import type { ProviderResult } from "@llm-pool/core";
import type { DeadlineAwareRequest } from "../driver.js";
import type { GrammarCache, LoadedModel } from "./llama-runtime.js";

export interface GenerationHooks {
  /** Sees each piece of text as it is generated (tests use it to abort mid-answer). */
  readonly onTextChunk?: (text: string) => void;
}

/**
 * One call on the model's sequence: the sequence is cleared and a fresh chat
 * session is opened, so no query ever sees another's history. Aborting the
 * signal stops generation and rejects with the signal's reason. An answer cut
 * by maxTokens (JSON included) is returned with finishReason "length".
 */
export async function generate(
  loaded: LoadedModel,
  grammars: GrammarCache,
  modelName: string,
  request: DeadlineAwareRequest,
  signal: AbortSignal,
  hooks: GenerationHooks = {},
  repeatPenalty = 1,
): Promise<ProviderResult> {
  await loaded.sequence.clearHistory();
  const session = new loaded.ChatSession({
    contextSequence: loaded.sequence,
    // An empty instruction rather than node-llama-cpp's default assistant persona.
    systemPrompt: request.system ?? "",
    autoDisposeSequence: false,
  });
  try {
    const grammar = await grammars.for(request.output);
    const before = loaded.sequence.tokenMeter.getState();
    const response = await session.promptWithMeta(request.prompt, {
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(grammar === undefined ? {} : { grammar }),
      ...(repeatPenalty > 1 ? { repeatPenalty: { penalty: repeatPenalty, lastTokens: 64 } } : {}),
      signal,
      stopOnAbortSignal: false,
      ...(hooks.onTextChunk ? { onTextChunk: hooks.onTextChunk } : {}),
    });
    const used = loaded.sequence.tokenMeter.diff(before);
    return {
      // A JSON answer ends at its value: the grammar's closing newlines are not part of it.
      text: request.output.kind === "text" ? response.responseText : response.responseText.trimEnd(),
      model: modelName,
      usage: { promptTokens: used.usedInputTokens, completionTokens: used.usedOutputTokens },
      finishReason: response.stopReason === "maxTokens" ? "length" : "stop",
    };
  } finally {
    session.dispose({ disposeSequence: false });
  }
}
