import type { Answer } from "@llm-pool/contract";
import { answerExtension, finishReason } from "../doors/answer-extension.js";
import { EXTENSION_FIELD } from "../doors/door-query.js";
import type { OpenAiRequest, OpenAiRoute } from "./openai-request.js";

/** What every object of one response shares. */
export interface CompletionHead {
  readonly id: string;
  /** Unix seconds. */
  readonly created: number;
  readonly route: OpenAiRoute;
  readonly request: OpenAiRequest;
}

function usageOf(answer: Answer) {
  const prompt = answer.usage?.promptTokens ?? 0;
  const completion = answer.usage?.completionTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function envelope(head: CompletionHead, object: string) {
  return { id: head.id, object, created: head.created, model: head.request.model.id, system_fingerprint: null };
}

/**
 * The whole answer as `chat.completion` or `text_completion`: the output as
 * the message, `usage` the winning call's tokens, and the pool's Answer (the
 * ensemble decision, every candidate's usage) under `pool`.
 */
export function completionBody(head: CompletionHead, answer: Answer) {
  const finish = finishReason(answer, head.request.query.maxTokens);
  const choice =
    head.route === "chat"
      ? { index: 0, message: { role: "assistant", content: answer.output, refusal: null }, logprobs: null, finish_reason: finish }
      : { index: 0, text: answer.output, logprobs: null, finish_reason: finish };
  return {
    ...envelope(head, head.route === "chat" ? "chat.completion" : "text_completion"),
    choices: [choice],
    usage: usageOf(answer),
    [EXTENSION_FIELD]: answerExtension(answer),
  };
}

/** The chunks of a streamed response, in OpenAI's format. */
export const chunks = {
  /** Chat streams open with the assistant's role and no text. */
  opening(head: CompletionHead): object[] {
    return head.route === "chat" ? [chunk(head, { role: "assistant", content: "" }, null)] : [];
  },
  text(head: CompletionHead, text: string): object {
    return chunk(head, { content: text }, null);
  },
  /** The finish reason, with the pool's Answer under `pool`; then, when asked for, the usage alone. */
  closing(head: CompletionHead, answer: Answer): object[] {
    const last = { ...chunk(head, {}, finishReason(answer, head.request.query.maxTokens)), [EXTENSION_FIELD]: answerExtension(answer) };
    const usage = { ...envelope(head, objectOf(head)), choices: [], usage: usageOf(answer) };
    return head.request.includeUsage ? [last, usage] : [last];
  },
};

function objectOf(head: CompletionHead): string {
  return head.route === "chat" ? "chat.completion.chunk" : "text_completion";
}

function chunk(head: CompletionHead, delta: { role?: string; content?: string }, finish: string | null) {
  const choice =
    head.route === "chat"
      ? { index: 0, delta, logprobs: null, finish_reason: finish }
      : { index: 0, text: delta.content ?? "", logprobs: null, finish_reason: finish };
  return {
    ...envelope(head, objectOf(head)),
    choices: [choice],
    ...(head.request.includeUsage ? { usage: null } : {}),
  };
}
