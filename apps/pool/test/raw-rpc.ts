import http2 from "node:http2";

/** A gRPC length-prefixed message: flags, big-endian length, bytes. */
export function envelope(data: Uint8Array, flags = 0): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(flags, 0);
  head.writeUInt32BE(data.byteLength, 1);
  return Buffer.concat([head, data]);
}

/** Sends raw bytes as a gRPC request over h2c; returns the status and message from the trailers. */
export function rawGrpc(baseUrl: string, path: string, body: Uint8Array): Promise<{ status: string; message: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc+proto",
      te: "trailers",
    });
    let headers: http2.IncomingHttpHeaders = {};
    stream.on("response", (h) => (headers = h));
    stream.on("trailers", (trailers) => {
      headers = { ...headers, ...trailers };
    });
    stream.on("data", () => {});
    stream.on("end", () => {
      session.close();
      resolve({
        status: String(headers["grpc-status"]),
        message: decodeURIComponent(String(headers["grpc-message"] ?? "")),
      });
    });
    stream.on("error", reject);
    stream.end(body);
  });
}

/** Reads the trailer frame (flag 0x80) of a gRPC-Web response body. */
export function grpcWebTrailers(body: Uint8Array): Record<string, string> {
  let offset = 0;
  const buf = Buffer.from(body);
  while (offset + 5 <= buf.length) {
    const flags = buf.readUInt8(offset);
    const length = buf.readUInt32BE(offset + 1);
    const data = buf.subarray(offset + 5, offset + 5 + length);
    offset += 5 + length;
    if (flags & 0x80) {
      return Object.fromEntries(
        data
          .toString("utf8")
          .split("\r\n")
          .filter(Boolean)
          .map((line) => {
            const i = line.indexOf(":");
            return [line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()];
          }),
      );
    }
  }
  return {};
}
