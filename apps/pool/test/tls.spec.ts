import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { LlmPoolService, Task } from "@llm-pool/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPool } from "./pool-fixture.js";

const query = { requestId: "tls-1", task: Task.JUDGE, prompt: "secure" };

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-ca", "-keyout", "ca.key", "-out", "ca.crt");
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  writeFileSync(join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  for (const who of ["server", "client"]) {
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${who}`, "-keyout", `${who}.key`, "-out", `${who}.csr`);
    openssl("x509", "-req", "-in", `${who}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", `${who}.ext`, "-out", `${who}.crt`);
  }
}

describe("R-API-2: TLS and mTLS on the same port (h2 and HTTP/1.1 by ALPN)", () => {
  let dir: string;
  let ca: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "llm-pool-tls-"));
    makeCertificates(dir);
    ca = readFileSync(join(dir, "ca.crt"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tls = () => ({ certFile: join(dir, "server.crt"), keyFile: join(dir, "server.key") });

  it("R-API-2: gRPC over h2 and Connect over HTTP/1.1, both with TLS", async () => {
    const pool = await startPool({ tls: tls() });
    try {
      const baseUrl = `https://127.0.0.1:${pool.port}`;
      const grpc = createClient(LlmPoolService, createGrpcTransport({ baseUrl, nodeOptions: { ca } }));
      expect((await grpc.infer({ query })).answer?.requestId).toBe("tls-1");
      const h1 = createClient(LlmPoolService, createConnectTransport({ baseUrl, httpVersion: "1.1", nodeOptions: { ca } }));
      expect((await h1.infer({ query })).answer?.requestId).toBe("tls-1");
    } finally {
      await pool.server.close(1_000);
    }
  });

  it("R-API-2: with a client CA, a client without a certificate is refused and one with it is served", async () => {
    const pool = await startPool({ tls: { ...tls(), clientCaFile: join(dir, "ca.crt") } });
    try {
      const baseUrl = `https://127.0.0.1:${pool.port}`;
      const anonymous = createClient(LlmPoolService, createGrpcTransport({ baseUrl, nodeOptions: { ca } }));
      const refused = await anonymous.infer({ query }).catch((e: unknown) => ConnectError.from(e));
      expect(refused).toBeInstanceOf(ConnectError);
      expect(pool.service.calls).toHaveLength(0);
      const cert = readFileSync(join(dir, "client.crt"));
      const key = readFileSync(join(dir, "client.key"));
      const gateway = createClient(LlmPoolService, createGrpcTransport({ baseUrl, nodeOptions: { ca, cert, key } }));
      expect((await gateway.infer({ query })).answer?.requestId).toBe("tls-1");
    } finally {
      await pool.server.close(1_000);
    }
  });
});
