import type { EngineHttp, EngineResponse } from "./engine-http.js";
import { ProviderError } from "./provider-error.js";

export interface EngineRequest {
  readonly method: "GET" | "POST" | "PUT";
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Aborting closes the connection, so the engine sees the cancel and stops generating. */
  readonly signal: AbortSignal;
  /** How HTTP 404 reads: a generation route means the model is missing; a health path just failed. */
  readonly notFound?: "model_missing" | "http_status";
  /** "json" (the default) parses the body; "none" only checks the status (health paths may answer text). */
  readonly expect?: "json" | "none";
  /** The Accept header; default application/json. */
  readonly accept?: string;
}

export interface EngineCaller {
  readonly provider: string;
  readonly http: EngineHttp;
  /** Clock ms, to turn an HTTP-date Retry-After into a delay. */
  now(): number;
}

// Engine answers are a few KB; anything this large is a broken or hostile engine. A streamed
// answer counts its frames' bytes against the same bound.
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Sends one request to an engine and returns its parsed JSON body. Every
 * failure becomes a ProviderError of the right kind: no response (connection),
 * an abort (timeout or cancelled), a status (rate_limited, model_missing,
 * http_status), a body cut short (truncated) or one that is not UTF-8 or does
 * not parse (malformed).
 */
export async function requestJson(caller: EngineCaller, request: EngineRequest): Promise<unknown> {
  const { provider } = caller;
  const { signal } = request;
  const response = await openResponse(caller, request);
  const body = await readWhole(response, provider, signal);
  if (request.expect === "none") return undefined;
  const text = decodeUtf8(body, provider);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProviderError(provider, "malformed", "the engine's response is not valid JSON", { cause: error });
  }
}

/**
 * Sends one request and returns the engine's 2xx response with its body
 * unread (a stream reads it piece by piece). No response, an abort and a
 * status other than 2xx fail as in `requestJson`.
 */
export async function openResponse(caller: EngineCaller, request: EngineRequest): Promise<EngineResponse> {
  const { provider } = caller;
  const { signal } = request;
  if (signal.aborted) throw ProviderError.fromAbort(provider, signal.reason);
  let response: EngineResponse;
  try {
    response = await caller.http(request.url, {
      method: request.method,
      headers: {
        accept: request.accept ?? "application/json",
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw ProviderError.fromAbort(provider, signal.reason);
    throw new ProviderError(provider, "connection", `cannot reach the engine (${networkCode(error)})`, { cause: error });
  }
  if (response.status >= 200 && response.status <= 299) return response;
  // An error body is only searched for a hint, so a stray byte in it must not hide the status.
  const body = await readWhole(response, provider, signal);
  throw statusError(caller, request, response, body.toString("utf8"));
}

/** The whole body, within the size limit; a body cut short is truncated, an abort is the abort. */
async function readWhole(response: EngineResponse, provider: string, signal: AbortSignal): Promise<Buffer> {
  try {
    return await readBody(response, provider);
  } catch (error) {
    if (signal.aborted) throw ProviderError.fromAbort(provider, signal.reason);
    if (error instanceof ProviderError) throw error;
    throw new ProviderError(provider, "truncated", "the engine's response ended early", { cause: error });
  }
}

/**
 * The body as text, refusing bytes that are not UTF-8: a lenient decode would
 * turn them into U+FFFD and hand the client a damaged answer as a good one.
 */
function decodeUtf8(body: Buffer, provider: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch (error) {
    throw new ProviderError(provider, "malformed", "the engine's response is not valid UTF-8", { cause: error });
  }
}

async function readBody(response: EngineResponse, provider: string): Promise<Buffer> {
  const declared = Number(response.header("content-length") ?? "NaN");
  if (declared > MAX_BODY_BYTES) {
    response.cancel();
    throw new ProviderError(provider, "malformed", `the engine's response is larger than ${MAX_BODY_BYTES} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) {
      response.cancel();
      throw new ProviderError(provider, "malformed", `the engine's response is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  if (chunks.length === 1 && Buffer.isBuffer(chunks[0])) return chunks[0];
  return Buffer.concat(chunks, size);
}

function statusError(caller: EngineCaller, request: EngineRequest, response: EngineResponse, text: string): ProviderError {
  const { provider } = caller;
  const status = response.status;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.header("retry-after") ?? null, caller.now());
    const hint = retryAfterMs === undefined ? "" : ` (retry after ${retryAfterMs} ms)`;
    return new ProviderError(provider, "rate_limited", `the engine is rate limiting${hint}`, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if ((status === 404 && request.notFound !== "http_status") || mentionsMissingModel(status, text)) {
    return new ProviderError(provider, "model_missing", "the engine does not have the configured model", { status });
  }
  return new ProviderError(provider, "http_status", `the engine answered HTTP ${status}`, { status });
}

// OpenAI-compatible servers sometimes answer an unknown model with 400 and code "model_not_found".
function mentionsMissingModel(status: number, text: string): boolean {
  if (status !== 400 || !text.includes("model_not_found")) return false;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown } };
    return body.error?.code === "model_not_found";
  } catch {
    return false;
  }
}

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The system error code of a failed exchange, on the error or its causes (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…). */
function networkCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return "network error";
}

/** `base` + `path` with exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
