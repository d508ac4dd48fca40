import { gzipSync } from "node:zlib";
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import { InferRequestSchema, Task } from "@llm-pool/contract";
import { PoolError } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { guardRequestBody } from "./request-body-guard.js";

const request = create(InferRequestSchema, { query: { task: Task.JUDGE, prompt: "pick one" } });
const binary = toBinary(InferRequestSchema, request);

function envelope(data: Uint8Array, flags = 0): Uint8Array {
  const out = Buffer.alloc(5 + data.byteLength);
  out.writeUInt8(flags, 0);
  out.writeUInt32BE(data.byteLength, 1);
  out.set(data, 5);
  return out;
}

async function guard(body: Uint8Array, headers: Record<string, string>, maxBytes = 1_024): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const source = (async function* () {
    yield body.subarray(0, 3);
    yield body.subarray(3);
  })();
  for await (const chunk of guardRequestBody(source, { input: InferRequestSchema, header: new Headers(headers), maxBytes })) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function failure(body: Uint8Array, headers: Record<string, string>, maxBytes?: number): Promise<PoolError> {
  try {
    await guard(body, headers, maxBytes);
  } catch (error) {
    return error as PoolError;
  }
  throw new Error("expected the guard to refuse the body");
}

describe("guardRequestBody", () => {
  it("passes well-formed bodies through byte for byte, whatever the protocol", async () => {
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
    for (const [body, headers] of cases) expect(await guard(body, headers)).toEqual(Buffer.from(body));
  });

  it("R-API-4: refuses malformed protobuf, JSON and envelopes as invalid_argument on body", async () => {
    expect(await failure(new Uint8Array([0x0a, 0x09, 1]), { "content-type": "application/proto" })).toMatchObject({
      code: "invalid_argument",
      field: "body",
    });
    expect((await failure(new TextEncoder().encode("{"), { "content-type": "application/json" })).message).toMatch(
      /^body: malformed JSON/,
    );
    expect((await failure(envelope(binary).subarray(0, 8), { "content-type": "application/grpc" })).message).toBe(
      "body: truncated message envelope",
    );
    expect(
      (await failure(envelope(new Uint8Array([1, 2, 3]), 1), { "content-type": "application/grpc", "grpc-encoding": "gzip" }))
        .message,
    ).toBe("body: cannot decompress (gzip)");
  });

  it("R-API-4: refuses a body, or a decompressed message, above maxBytes as payload_too_large", async () => {
    expect(await failure(new Uint8Array(2_000), { "content-type": "application/proto" })).toMatchObject({
      code: "payload_too_large",
    });
    const bomb = gzipSync(new Uint8Array(100_000));
    expect(bomb.byteLength).toBeLessThan(1_024);
    expect(await failure(bomb, { "content-type": "application/proto", "content-encoding": "gzip" })).toMatchObject({
      code: "payload_too_large",
    });
  });

  it("leaves content types it does not know to Connect", async () => {
    const junk = new Uint8Array([0xff, 0xfe]);
    expect(await guard(junk, { "content-type": "text/plain" })).toEqual(Buffer.from(junk));
  });
});
