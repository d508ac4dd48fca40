import http2 from "node:http2";
import type { TLSSocket } from "node:tls";
import type { TestCerts } from "../src/index.js";

/** What a request looked like when it reached the upstream. */
export interface Recorded {
  readonly httpVersion: string;
  readonly method: string;
  readonly url: string;
  readonly headers: http2.IncomingHttpHeaders;
  readonly body: Buffer;
  /** Subject CN of the client certificate the gateway showed. */
  readonly clientCn: string | undefined;
}

/**
 * An upstream that stands where the pool stands (TLS with the pool's certificate, a client
 * certificate from the mesh CA required, h2 and http/1.1) and records every request. gRPC calls
 * are answered UNIMPLEMENTED, anything else 200 `{"recorded":true}`.
 */
export async function startRecordingUpstream(certs: TestCerts): Promise<{ address: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server = http2.createSecureServer({
    cert: certs.pem(certs.pool.cert),
    key: certs.pem(certs.pool.key),
    ca: certs.pem(certs.meshCa),
    requestCert: true,
    rejectUnauthorized: true,
    allowHTTP1: true,
  });
  server.on("request", (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const peer = (req.socket as unknown as TLSSocket).getPeerCertificate();
      requests.push({
        httpVersion: req.httpVersion,
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks),
        clientCn: [peer.subject?.CN].flat()[0],
      });
      if (String(req.headers["content-type"]).startsWith("application/grpc")) {
        res.writeHead(200, { "content-type": "application/grpc", "grpc-status": "12", "grpc-message": "recorded" });
        res.end();
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"recorded":true}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
