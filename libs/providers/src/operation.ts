import type { ProviderResult } from "@llm-pool/core";
import { readAnswer, type AnswerShape } from "./answer-shape.js";
import { buildBody, type ParameterMap } from "./parameter-map.js";
import type { DeadlineAwareRequest } from "./driver.js";
import { joinUrl, requestJson, type EngineCaller } from "./engine-request.js";
import { ProviderError } from "./provider-error.js";

/**
 * One generation route of an engine API, declared: where it is, how the
 * request body is built and where the answer is read. The drivers for Ollama
 * and OpenAI-compatible servers are a table of these.
 */
export interface Operation<Config> {
  readonly path: string;
  readonly parameters: ParameterMap<Config>;
  readonly answer: AnswerShape;
  /** A reason to refuse a body that parsed but is not a finished answer. */
  readonly incomplete?: (body: unknown) => string | undefined;
}

export interface OperationCall<Config> {
  readonly caller: EngineCaller;
  readonly baseUrl: string;
  readonly config: Config & { readonly model: string };
  readonly headers?: Readonly<Record<string, string>>;
}

/** Runs one operation against the engine and reads the answer. */
export async function runOperation<Config>(
  operation: Operation<Config>,
  call: OperationCall<Config>,
  request: DeadlineAwareRequest,
  signal: AbortSignal,
): Promise<{ result: ProviderResult; body: unknown }> {
  const body = await requestJson(call.caller, {
    method: "POST",
    url: joinUrl(call.baseUrl, operation.path),
    body: buildBody(operation.parameters, request, call.config),
    signal,
    ...(call.headers ? { headers: call.headers } : {}),
  });
  const problem = operation.incomplete?.(body);
  if (problem) throw new ProviderError(call.caller.provider, "malformed", problem);
  const result = readAnswer(call.caller.provider, body, operation.answer, call.config.model);
  // Engines' JSON grammars allow whitespace after the value, and small models fill it: a JSON
  // answer ends at its value.
  if (request.output.kind !== "text") return { result: { ...result, text: result.text.trimEnd() }, body };
  return { result, body };
}
