import type { ProviderResult, TextSink } from "@llm-pool/core";
import { readAnswer, StreamedFields, type AnswerShape } from "./answer-shape.js";
import { buildBody, type ParameterMap } from "./parameter-map.js";
import type { DeadlineAwareRequest } from "./driver.js";
import { joinUrl, openResponse, requestJson, type EngineCaller } from "./engine-request.js";
import { readJsonPath, type JsonPath } from "./json-path.js";
import { ProviderError } from "./provider-error.js";
import { readFrames, type Framing } from "./stream-frames.js";

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
  /** The same route, streamed (R-API-6). */
  readonly stream: StreamShape;
}

/** How the streamed form of an operation is asked for and read. */
export interface StreamShape {
  readonly framing: Framing;
  /** Body fields that ask for a stream, over the operation's own (`stream: true`, OpenAI's `stream_options`). */
  readonly body: Readonly<Record<string, unknown>>;
  /** Where each frame's new text is; the other fields are read with the operation's answer shape. */
  readonly delta: JsonPath;
  /** Whether a frame says the answer is complete (Ollama's `done: true`, OpenAI's finish_reason). */
  readonly completes: (frame: unknown) => boolean;
  /** The SSE data that ends the stream (OpenAI's "[DONE]"). */
  readonly end?: string;
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

/**
 * Runs one operation streamed: each frame's text goes to `onText` as it
 * arrives, and the result is the joined text with the usage and finish
 * reason the frames carried. A frame that is not JSON is malformed; a frame
 * carrying an `error` is the engine failing mid-answer; a stream that ends
 * before a frame said the answer is complete is truncated.
 */
export async function runStreamOperation<Config>(
  operation: Operation<Config>,
  call: OperationCall<Config>,
  request: DeadlineAwareRequest,
  signal: AbortSignal,
  onText: TextSink,
): Promise<ProviderResult> {
  const { provider } = call.caller;
  const shape = operation.stream;
  const response = await openResponse(call.caller, {
    method: "POST",
    url: joinUrl(call.baseUrl, operation.path),
    body: { ...buildBody(operation.parameters, request, call.config), ...shape.body },
    signal,
    accept: shape.framing === "sse" ? "text/event-stream" : "application/x-ndjson",
    ...(call.headers ? { headers: call.headers } : {}),
  });
  const fields = new StreamedFields(operation.answer);
  const pieces: string[] = [];
  let complete = false;
  for await (const data of readFrames(response, shape.framing, provider, signal)) {
    if (shape.end !== undefined && data === shape.end) {
      complete = true;
      break;
    }
    const frame = parseFrame(data, provider);
    const text = readJsonPath(frame, shape.delta);
    if (typeof text === "string" && text !== "") {
      pieces.push(text);
      onText(text);
    }
    fields.see(frame);
    if (shape.completes(frame)) complete = true;
  }
  if (signal.aborted) throw ProviderError.fromAbort(provider, signal.reason);
  if (!complete) throw new ProviderError(provider, "truncated", "the engine's stream ended before the answer was complete");
  return fields.answer(pieces.join(""), call.config.model);
}

function parseFrame(data: string, provider: string): unknown {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch (error) {
    throw new ProviderError(provider, "malformed", "a frame of the engine's stream is not valid JSON", { cause: error });
  }
  const failure = frame !== null && typeof frame === "object" ? (frame as { error?: unknown }).error : undefined;
  if (failure !== undefined && failure !== null) {
    // The engine's own words stay in the cause: they may quote the prompt.
    throw new ProviderError(provider, "engine", "the engine reported an error in the middle of its stream", {
      cause: new Error(typeof failure === "string" ? failure : JSON.stringify(failure)),
    });
  }
  return frame;
}
