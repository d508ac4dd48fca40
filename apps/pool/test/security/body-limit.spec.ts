import http2 from "node:http2";
import { toBinary, toJsonString } from "@bufbuild/protobuf";
import { Code as RpcCode } from "@connectrpc/connect";
import { findTrailerError } from "@connectrpc/connect/protocol-grpc";
import { ErrorDetailSchema, InferRequestSchema } from "@llm-pool/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcWebTrailers } from "../raw-rpc.js";
import { connect, untilClosed } from "../sockets.js";
import { envelope, grpcExchange, INFER_PATH, inferRequest, rawRequest, signedHeaders, startSecuredPool, type SecuredPool } from "./security-fixture.js";

const MAX_BODY = 4_096;
const LIMIT_MESSAGE = `body: larger than the limit of ${MAX_BODY} bytes`;
const oversize = inferRequest("x".repeat(MAX_BODY + 10));
const binary = toBinary(InferRequestSchema, oversize);
const json = Buffer.from(toJsonString(InferRequestSchema, oversize));

/** The pool's ErrorDetail in a gRPC status (grpc-status-details-bin), read the way Connect clients read it. */
function detailOf(trailers: Record<string, string>) {
  return findTrailerError(new Headers(trailers))?.findDetails(ErrorDetailSchema)[0];
}

describe("a body over max_body_bytes is payload_too_large, field body, on every transport (R-API-4)", () => {
  let pool: SecuredPool;
  beforeAll(async () => {
    pool = await startSecuredPool({ server: { maxBodyBytes: MAX_BODY } });
  });
  afterAll(() => pool.close());

  const connectUnary: [string, string, Uint8Array][] = [
    ["Connect JSON", "application/json", json],
    ["Connect binary", "application/proto", binary],
  ];

  it.each(connectUnary)("%s unary with a Content-Length over the limit: HTTP 413, the pool's message and ErrorDetail", async (_, contentType, body) => {
    for (const signed of [false, true]) {
      const headers: [string, string][] = signed
        ? signedHeaders({ path: INFER_PATH, contentType, body }, pool.clock)
        : [["content-type", contentType]];
      const res = await rawRequest(pool.baseUrl, { path: INFER_PATH, headers: [...headers, ["connect-protocol-version", "1"]], body });
      expect(res.status).toBe(413);
      expect(res.json()).toMatchObject({
        code: "resource_exhausted",
        message: LIMIT_MESSAGE,
        details: [{ type: "vvtv.llmpool.v1.ErrorDetail", debug: { code: "payload_too_large", field: "body" } }],
      });
      expect(res.headers.connection).toBe("close");
    }
  });

  it("Connect streaming (InferStream, enveloped): the end-stream error is resource_exhausted with payload_too_large", async () => {
    const path = "/vvtv.llmpool.v1.LlmPoolService/InferStream";
    const res = await rawRequest(pool.baseUrl, { path, headers: [["content-type", "application/connect+json"]], body: envelope(json) });
    expect(res.status).toBe(200);
    const endStream = JSON.parse(res.text.slice(5));
    expect(endStream.error).toMatchObject({ code: "resource_exhausted", message: LIMIT_MESSAGE });
    expect(endStream.error.details[0].debug).toMatchObject({ code: "payload_too_large", field: "body" });
  });

  it("gRPC with a content-length over the limit: RESOURCE_EXHAUSTED with payload_too_large", async () => {
    const body = envelope(binary);
    const seen = await grpcExchange(pool.baseUrl, { "content-length": String(body.byteLength) }, body);
    expect(seen["grpc-status"]).toBe(String(RpcCode.ResourceExhausted));
    expect(decodeURIComponent(seen["grpc-message"]!)).toBe(LIMIT_MESSAGE);
    expect(detailOf(seen)).toMatchObject({ code: "payload_too_large", field: "body" });
  });

  it("gRPC-Web with a Content-Length over the limit: the trailer says RESOURCE_EXHAUSTED with payload_too_large", async () => {
    const res = await fetch(`${pool.baseUrl}${INFER_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web+proto" },
      body: envelope(binary),
    });
    expect(res.status).toBe(200);
    const trailers = grpcWebTrailers(new Uint8Array(await res.arrayBuffer()));
    expect(trailers["grpc-status"]).toBe(String(RpcCode.ResourceExhausted));
    expect(decodeURIComponent(trailers["grpc-message"]!)).toBe(LIMIT_MESSAGE);
    expect(detailOf(trailers)).toMatchObject({ code: "payload_too_large", field: "body" });
  });

  it("REST with a Content-Length over the limit: 413 payload_too_large", async () => {
    const res = await rawRequest(pool.baseUrl, { path: "/v1/infer", headers: [["content-type", "application/json"]], body: "x".repeat(MAX_BODY + 1) });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ code: "payload_too_large", field: "body", message: LIMIT_MESSAGE });
  });

  it("REST with a chunked body (no Content-Length) that passes the limit: 413 payload_too_large, and the connection closes", async () => {
    const socket = await connect(Number(new URL(pool.baseUrl).port));
    const received = untilClosed(socket);
    socket.write("POST /v1/infer HTTP/1.1\r\nhost: pool\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
    // Two chunks, the second past the limit; the terminating chunk never comes.
    for (const size of [MAX_BODY / 2, MAX_BODY]) socket.write(`${size.toString(16)}\r\n${"x".repeat(size)}\r\n`);
    const response = await received;
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response.toLowerCase()).toContain("connection: close");
    expect(JSON.parse(response.slice(response.indexOf("\r\n\r\n") + 4))).toMatchObject({ code: "payload_too_large", field: "body", message: LIMIT_MESSAGE });
  });

  it("REST over HTTP/2 with a body that passes the limit: 413 payload_too_large, then the stream is reset and the session serves on", async () => {
    const session = http2.connect(pool.baseUrl);
    try {
      const stream = session.request({ ":method": "POST", ":path": "/v1/infer", "content-type": "application/json" });
      stream.on("error", () => {});
      // More than the limit, and the end of the body never comes: the pool must answer and drop the stream itself.
      stream.write("x".repeat(MAX_BODY + 10));
      const [status, body, closed] = await new Promise<[number, string, boolean]>((resolve) => {
        let answer = 0;
        let text = "";
        stream.on("response", (headers) => (answer = Number(headers[":status"])));
        stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
        stream.on("close", () => resolve([answer, text, true]));
      });
      expect(status).toBe(413);
      expect(JSON.parse(body)).toMatchObject({ code: "payload_too_large", field: "body", message: LIMIT_MESSAGE });
      expect(closed).toBe(true);
      const next = session.request({ ":method": "GET", ":path": "/healthz" });
      const nextStatus = await new Promise<number>((resolve) => next.on("response", (headers) => resolve(Number(headers[":status"]))));
      next.resume();
      expect(nextStatus).toBe(200);
    } finally {
      session.close();
    }
  });

  it("a REST client that goes away halfway through its body gets no answer and leaves no internal error", async () => {
    const socket = await connect(Number(new URL(pool.baseUrl).port));
    const received = untilClosed(socket);
    socket.write(`POST /v1/infer HTTP/1.1\r\nhost: pool\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"prompt":`);
    await new Promise((resolve) => setImmediate(resolve));
    socket.destroy();
    expect(await received).toBe("");
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: "/healthz" })).status).toBe(200);
  });

  it("a client that goes away halfway through its body gets no answer and leaves no internal error", async () => {
    const session = http2.connect(pool.baseUrl);
    const stream = session.request({ ":method": "POST", ":path": INFER_PATH, "content-type": "application/grpc", te: "trailers", "content-length": "100" });
    const closed = new Promise((resolve) => stream.on("close", resolve));
    stream.on("error", () => {});
    stream.write(Buffer.alloc(10));
    await new Promise((resolve) => setImmediate(resolve));
    stream.close(http2.constants.NGHTTP2_CANCEL);
    await closed;
    session.close();
    // The next request on the server is handled after the cancelled one.
    expect((await rawRequest(pool.baseUrl, { method: "GET", path: "/healthz" })).status).toBe(200);
  });

  it("nothing reached the service and nothing was an internal error", () => {
    expect(pool.service.calls).toHaveLength(0);
    expect(pool.errors).toEqual([]);
  });
});
