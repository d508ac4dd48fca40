import { describe, expect, it } from "vitest";
import { encodeRequest } from "./raw-http-connection.js";
import { ResponseFramer } from "./response-framer.js";

const bytes = (text: string) => Buffer.from(text, "latin1");

describe("ResponseFramer: where one response ends on a keep-alive connection", () => {
  it("waits for the whole Content-Length body, however the bytes are split", () => {
    const message = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n{\"ok\":true}";
    for (let cut = 1; cut < message.length; cut++) {
      const framer = new ResponseFramer();
      expect(framer.push(bytes(message.slice(0, cut)))).toBeUndefined();
      expect(framer.push(bytes(message.slice(cut)))).toEqual({ status: 200, close: false, bytes: message.length });
    }
  });

  it("follows chunked framing to the last chunk, with or without trailers", () => {
    const plain = "HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n";
    const framer = new ResponseFramer();
    expect(framer.push(bytes(plain.slice(0, plain.length - 2)))).toBeUndefined();
    expect(framer.push(bytes("\r\n"))).toEqual({ status: 503, close: false, bytes: plain.length });
    const trailers = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Check: 1\r\n\r\n";
    expect(new ResponseFramer().push(bytes(trailers))).toEqual({ status: 200, close: false, bytes: trailers.length });
  });

  it("says when the server will close the connection, and treats a bodiless answer as ended", () => {
    const message = "HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\n\r\n";
    expect(new ResponseFramer().push(bytes(message))).toEqual({ status: 429, close: true, bytes: message.length });
  });
});

describe("encodeRequest", () => {
  it("writes an HTTP/1.1 request with Host and a Content-Length of the body's bytes", () => {
    const text = encodeRequest("127.0.0.1", 8080, { method: "POST", path: "/v1/infer", body: '{"prompt":"é"}' }).toString("utf8");
    expect(text).toBe('POST /v1/infer HTTP/1.1\r\nhost: 127.0.0.1:8080\r\ncontent-type: application/json\r\ncontent-length: 15\r\n\r\n{"prompt":"é"}');
  });
});
