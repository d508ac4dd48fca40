import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { base64Decode } from "@bufbuild/protobuf/wire";
import { invalidArgument } from "@llm-pool/core";
import { payloadTooLarge } from "../body-limit.js";
import { parseJsonMessage } from "../json-errors.js";

/** One RPC request as the edge read it: the body already read within the limit. */
export interface RpcRequestParts {
  /** The RPC's input message. */
  readonly input: DescMessage;
  readonly method: string;
  /** The request URL; a Connect GET carries its message in the query. */
  readonly url: URL;
  readonly header: Headers;
  readonly body: Uint8Array;
  readonly maxBytes: number;
}

const ENVELOPE_HEADER = 5;
const FLAG_COMPRESSED = 0b0000_0001;

/**
 * The request messages of an RPC, decoded before Connect parses them so that
 * a malformed one is invalid_argument (field "body") with an ErrorDetail on
 * every protocol (Connect would answer INTERNAL for malformed protobuf), and
 * so that each Query can be admitted. A POST carries them in its body
 * (enveloped for gRPC, gRPC-Web and Connect streaming, bare for Connect
 * unary); a Connect GET in the `message` query parameter, as `encoding`,
 * `base64` and `compression` say. A request Connect will refuse itself (an
 * unknown content type or encoding, another method) yields none.
 */
export function requestMessages(request: RpcRequestParts): unknown[] {
  if (request.method === "GET") return connectGetMessages(request);
  if (request.method !== "POST") return [];
  const kind = contentKind(request.header.get("content-type") ?? "");
  if (!kind) return [];
  if (!kind.enveloped) {
    const data = decompress(request.body, request.header.get("content-encoding"), request.maxBytes);
    return [checkMessage(request.input, data, kind.json)];
  }
  const encoding = request.header.get("grpc-encoding") ?? request.header.get("connect-content-encoding");
  return [...splitEnvelopes(request.body)].map((envelope) => {
    const data = envelope.flags & FLAG_COMPRESSED ? decompress(envelope.data, encoding, request.maxBytes) : envelope.data;
    return checkMessage(request.input, data, kind.json);
  });
}

/** The message of a Connect GET, read from the query the way connect-node reads it (URLSearchParams). */
function connectGetMessages(request: RpcRequestParts): unknown[] {
  const params = request.url.searchParams;
  const encoding = params.get("encoding");
  if (encoding !== "json" && encoding !== "proto") return [];
  const text = params.get("message") ?? "";
  let data: Uint8Array;
  try {
    data = params.get("base64") === "1" ? base64Decode(text) : new TextEncoder().encode(text);
  } catch {
    throw invalidArgument("body", "the message query parameter is not base64");
  }
  return [checkMessage(request.input, decompress(data, params.get("compression"), request.maxBytes), encoding === "json")];
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
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch (error) {
    throw invalidArgument("body", `malformed JSON: ${(error as Error).message}`);
  }
  return parseJsonMessage(input, text);
}
