import type { Answer } from "@llm-pool/contract";
import { answerExtension, finishReason } from "../doors/answer-extension.js";
import { EXTENSION_FIELD } from "../doors/door-query.js";
import type { OllamaRoute } from "./ollama-request.js";

/** What every object of one response shares: the route, the model as the client named it, the clock. */
export interface OllamaHead {
  readonly route: OllamaRoute;
  readonly model: string;
  /** ISO 8601, now. */
  readonly createdAt: () => string;
  /** The client's max_tokens (num_predict), 0 when it left it to the task. */
  readonly maxTokens: number;
}

const NS_PER_MS = 1_000_000;

/** A piece of text (done: false), as Ollama streams it. */
export function ollamaPiece(head: OllamaHead, text: string) {
  return { model: head.model, created_at: head.createdAt(), ...content(head, text), done: false };
}

/**
 * The object that ends an answer (the only one when not streamed): done,
 * why, the winning call's token counts, the pool's duration in nanoseconds
 * (it has no separate load or eval times), and the pool's Answer under `pool`.
 */
export function ollamaDone(head: OllamaHead, answer: Answer, text: string) {
  return {
    model: head.model,
    created_at: head.createdAt(),
    ...content(head, text),
    done: true,
    done_reason: finishReason(answer, head.maxTokens),
    total_duration: answer.durationMs * NS_PER_MS,
    load_duration: 0,
    prompt_eval_count: answer.usage?.promptTokens ?? 0,
    prompt_eval_duration: 0,
    eval_count: answer.usage?.completionTokens ?? 0,
    eval_duration: 0,
    [EXTENSION_FIELD]: answerExtension(answer),
  };
}

/** The answer to a preload (a generate with no prompt, a chat with no messages): done at once. */
export function ollamaLoaded(head: OllamaHead) {
  return { model: head.model, created_at: head.createdAt(), ...content(head, ""), done: true, done_reason: "load" };
}

function content(head: OllamaHead, text: string) {
  return head.route === "chat" ? { message: { role: "assistant", content: text } } : { response: text };
}
