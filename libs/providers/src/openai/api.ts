// The OpenAI-compatible API as vLLM, llama.cpp's server, LM Studio and Ollama's /v1 serve it:
// POST /v1/chat/completions, POST /v1/completions, GET /v1/models; streamed as server-sent events.

export type OpenAiResponseFormat =
  | { type: "json_object" }
  | { type: "json_schema"; json_schema: { name: string; schema: Readonly<Record<string, unknown>>; strict: true } };

/** Sampling fields both routes take. */
export interface OpenAiSampling {
  model: string;
  max_tokens: number;
  temperature: number;
  top_p: number;
  seed?: number;
  response_format?: OpenAiResponseFormat;
  stream: false;
}

export interface OpenAiChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface OpenAiChatRequest extends OpenAiSampling {
  messages: OpenAiChatMessage[];
}

export interface OpenAiCompletionRequest extends OpenAiSampling {
  prompt: string;
}

/** "length" when max_tokens cut the answer. */
export type OpenAiFinishReason = "stop" | "length" | "content_filter" | "tool_calls" | null;

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface OpenAiChatResponse {
  id: string;
  object: "chat.completion";
  model: string;
  choices: Array<{ index: number; message: { role: "assistant"; content: string | null }; finish_reason: OpenAiFinishReason }>;
  usage?: OpenAiUsage;
}

export interface OpenAiCompletionResponse {
  id: string;
  object: "text_completion";
  model: string;
  choices: Array<{ index: number; text: string; finish_reason: OpenAiFinishReason }>;
  usage?: OpenAiUsage;
}

export interface OpenAiModelList {
  object: "list";
  data: Array<{ id: string; object: "model" }>;
}
