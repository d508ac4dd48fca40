import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { fromBinary, fromJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { invalidArgument } from "@llm-pool/core";
import { payloadTooLarge, readAtMost } from "../body-limit.js";
import { jsonDecodeError } from "../json-errors.js";

/** What the guard needs to know of one RPC request. */
export interface GuardedRequest {
  /** The RPC's input message. */
  readonly input: DescMessage;
  readonly header: Headers;
  readonly maxBytes: number;
  /** The auth step: sees the raw bytes before anything parses them; throws to refuse. */
  readonly authorize?: (bytes: Uint8Array) => Promise<void>;
  /** Sees each well-formed message once decoded (admission of its Query); throws to refuse. */
  readonly admit?: (message: unknown) => Promise<void>;
}

const ENVELOPE_HEADER = 5;
const FLAG_COMPRESSED = 0b0000_0001;

/**
 * Reads an RPC request body up to `maxBytes` and checks that it holds
 * well-formed messages before Connect parses it, so that an oversize body is
 * payload_too_large and a malformed one invalid_argument (field "body") with
 * an ErrorDetail on every protocol. (Connect would answer INTERNAL for
 * malformed protobuf.) The auth step runs on the raw bytes before any
 * parsing, and admission on the decoded messages. Our RPCs take exactly
 * one small request message, so buffering it whole costs nothing. The
 * bytes are passed on unchanged.
 */
export async function* guardRequestBody(body: AsyncIterable<Uint8Array>, request: GuardedRequest): AsyncIterable<Uint8Array> {
  const bytes = await readAtMost(body, request.maxBytes);
  await request.authorize?.(bytes);
  const kind = contentKind(request.header.get("content-type") ?? "");
  const messages: unknown[] = [];
  if (kind?.enveloped) {
    const encoding = request.header.get("grpc-encoding") ?? request.header.get("connect-content-encoding");
    for (const envelope of splitEnvelopes(bytes)) {
      const data = envelope.flags & FLAG_COMPRESSED ? decompress(envelope.data, encoding, request.maxBytes) : envelope.data;
      messages.push(checkMessage(request.input, data, kind.json));
    }
  } else if (kind) {
    const encoding = request.header.get("content-encoding");
    messages.push(checkMessage(request.input, decompress(bytes, encoding, request.maxBytes), kind.json));
  }
  // A body the guard cannot read (a type Connect decides on) is still admitted, without its Query.
  for (const message of messages.length > 0 ? messages : [undefined]) await request.admit?.(message);
  yield bytes;
}

function contentKind(contentType: string): { enveloped: boolean; json: boolean } | undefined {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  const json = type.endsWith("json");
  if (/^application\/(grpc|grpc-web|connect)(\+(proto|json))?$/.test(type)) return { enveloped: true, json };
  if (type === "application/proto" || type === "application/json") return { enveloped: false, json };
  // Anything else (grpc-web-text, unknown types) is left to Connect, which refuses what it cannot read.
  return undefined;
}

function* splitEnvelopes(bytes: Uint8Array): Generator<{ flags: number; data: Uint8Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.byteLength) {
    if (bytes.byteLength - offset < ENVELOPE_HEADER) throw invalidArgument("body", "truncated message envelope");
    const flags = view.getUint8(offset);
    const length = view.getUint32(offset + 1);
    offset += ENVELOPE_HEADER;
    if (bytes.byteLength - offset < length) throw invalidArgument("body", "truncated message envelope");
    yield { flags, data: bytes.subarray(offset, offset + length) };
    offset += length;
  }
}

function decompress(data: Uint8Array, encoding: string | null, maxBytes: number): Uint8Array {
  const options = { maxOutputLength: maxBytes };
  try {
    switch (encoding?.toLowerCase()) {
      case "gzip":
        return gunzipSync(data, options);
      case "br":
        return brotliDecompressSync(data, options);
      default:
        // Identity, or an encoding Connect will refuse itself.
        return data;
    }
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw payloadTooLarge(maxBytes);
    throw invalidArgument("body", `cannot decompress (${encoding})`);
  }
}

function checkMessage(input: DescMessage, data: Uint8Array, json: boolean): unknown {
  if (!json) {
    try {
      return fromBinary(input, data);
    } catch (error) {
      throw invalidArgument("body", `malformed protobuf: ${(error as Error).message}`);
    }
  }
  let value: JsonValue;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data)) as JsonValue;
  } catch (error) {
    throw invalidArgument("body", `malformed JSON: ${(error as Error).message}`);
  }
  try {
    return fromJson(input, value);
  } catch (error) {
    throw jsonDecodeError(input, value, error);
  }
}
