import { gzipSync } from "node:zlib";
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import { InferRequestSchema, Task } from "@llm-pool/contract";
import { PoolError } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { requestMessages } from "./request-messages.js";

const request = create(InferRequestSchema, { query: { task: Task.JUDGE, prompt: "pick one" } });
const binary = toBinary(InferRequestSchema, request);

function envelope(data: Uint8Array, flags = 0): Uint8Array {
  const out = Buffer.alloc(5 + data.byteLength);
  out.writeUInt8(flags, 0);
  out.writeUInt32BE(data.byteLength, 1);
  out.set(data, 5);
  return out;
}

function decode(body: Uint8Array, headers: Record<string, string>, maxBytes = 1_024, method = "POST", url = "http://pool/x.v1.S/M"): unknown[] {
  return requestMessages({ input: InferRequestSchema, method, url: new URL(url), header: new Headers(headers), body, maxBytes });
}

function failure(body: Uint8Array, headers: Record<string, string>, maxBytes?: number, method?: string, url?: string): PoolError {
  try {
    decode(body, headers, maxBytes, method, url);
  } catch (error) {
    return error as PoolError;
  }
  throw new Error("expected the body to be refused");
}

describe("requestMessages", () => {
  it("decodes well-formed messages, whatever the protocol", () => {
    const json = new TextEncoder().encode(toJsonString(InferRequestSchema, request));
    const cases: [Uint8Array, Record<string, string>][] = [
      [binary, { "content-type": "application/proto" }],
      [json, { "content-type": "application/json" }],
      [envelope(binary), { "content-type": "application/grpc" }],
      [envelope(json), { "content-type": "application/grpc-web+json" }],
      [envelope(binary), { "content-type": "application/connect+proto" }],
      [gzipSync(binary), { "content-type": "application/proto", "content-encoding": "gzip" }],
      [envelope(gzipSync(binary), 1), { "content-type": "application/grpc", "grpc-encoding": "gzip" }],
    ];
    for (const [body, headers] of cases) expect(decode(body, headers), JSON.stringify(headers)).toEqual([request]);
  });

  it("R-API-4: refuses malformed protobuf, JSON and envelopes as invalid_argument on body", () => {
    expect(failure(new Uint8Array([0x0a, 0x09, 1]), { "content-type": "application/proto" })).toMatchObject({
      code: "invalid_argument",
      field: "body",
    });
    expect((failure(new TextEncoder().encode("{"), { "content-type": "application/json" })).message).toMatch(
      /^body: malformed JSON/,
    );
    expect((failure(envelope(binary).subarray(0, 8), { "content-type": "application/grpc" })).message).toBe(
      "body: truncated message envelope",
    );
    expect(
      (failure(envelope(new Uint8Array([1, 2, 3]), 1), { "content-type": "application/grpc", "grpc-encoding": "gzip" }))
        .message,
    ).toBe("body: cannot decompress (gzip)");
  });

  it("R-API-4: refuses a decompressed message above maxBytes as payload_too_large", () => {
    const bomb = gzipSync(new Uint8Array(100_000));
    expect(bomb.byteLength).toBeLessThan(1_024);
    expect(failure(bomb, { "content-type": "application/proto", "content-encoding": "gzip" })).toMatchObject({
      code: "payload_too_large",
    });
  });

  it("leaves content types, encodings and methods it does not know to Connect", () => {
    const junk = new Uint8Array([0xff, 0xfe]);
    expect(decode(junk, { "content-type": "text/plain" })).toEqual([]);
    expect(decode(junk, { "content-type": "application/json" }, 1_024, "PUT")).toEqual([]);
    expect(decode(new Uint8Array(), {}, 1_024, "GET", "http://pool/x.v1.S/M?encoding=yaml&message=x")).toEqual([]);
  });

  it("R-API-4: reads a Connect GET's message from the query (JSON, base64 protobuf, compressed) and refuses a malformed one", () => {
    const get = (query: string) => decode(new Uint8Array(), {}, 1_024, "GET", `http://pool/x.v1.S/M?connect=v1&${query}`);
    const json = encodeURIComponent(toJsonString(InferRequestSchema, request));
    expect(get(`encoding=json&message=${json}`)).toEqual([request]);
    expect(get(`encoding=proto&base64=1&message=${Buffer.from(binary).toString("base64url")}`)).toEqual([request]);
    const gzipped = Buffer.from(gzipSync(binary)).toString("base64url");
    expect(get(`encoding=proto&base64=1&compression=gzip&message=${gzipped}`)).toEqual([request]);
    expect(failure(new Uint8Array(), {}, 1_024, "GET", "http://pool/x.v1.S/M?encoding=json&message=%7B")).toMatchObject({
      code: "invalid_argument",
      field: "body",
    });
    const bomb = Buffer.from(gzipSync(new Uint8Array(100_000))).toString("base64url");
    expect(failure(new Uint8Array(), {}, 1_024, "GET", `http://pool/x.v1.S/M?encoding=proto&base64=1&compression=gzip&message=${bomb}`)).toMatchObject({
      code: "payload_too_large",
    });
  });
});
