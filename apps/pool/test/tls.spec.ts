import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodeTls from "node:tls";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { LlmPoolService, Task } from "@llm-pool/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPool } from "./pool-fixture.js";

const query = { requestId: "tls-1", task: Task.JUDGE, prompt: "secure" };

/**
 * A throwaway CA, a server certificate for 127.0.0.1 and a client
 * certificate, made with openssl; for the attacks, a client certificate
 * from another CA, an expired one from the right CA, and a self-signed one.
 */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  // RSA where the cipher tests need it (the CA and the server), EC elsewhere because it is quick to make.
  const rsa = ["-newkey", "rsa:2048"];
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
  const selfSigned = (name: string, key: string[]) =>
    openssl("req", "-x509", ...key, "-nodes", "-days", "1", "-subj", `/CN=test-${name}`, "-keyout", `${name}.key`, "-out", `${name}.crt`);
  selfSigned("ca", rsa);
  selfSigned("foreign-ca", ec);
  selfSigned("self-signed", ec);
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  writeFileSync(join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  const request = (who: string, key: string[]) =>
    openssl("req", ...key, "-nodes", "-subj", `/CN=${who}`, "-keyout", `${who}.key`, "-out", `${who}.csr`);
  const issue = (who: string, key: string[], ext: string, ca: string) => {
    request(who, key);
    openssl("x509", "-req", "-in", `${who}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "1", "-extfile", ext, "-out", `${who}.crt`);
  };
  issue("server", rsa, "server.ext", "ca");
  issue("client", ec, "client.ext", "ca");
  issue("foreign-client", ec, "client.ext", "foreign-ca");
  // `openssl x509` cannot backdate; `openssl ca` can, with a minimal CA database.
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), "1000\n");
  writeFileSync(
    join(dir, "ca.cnf"),
    "[ca]\ndefault_ca=test\n[test]\ndir=.\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=any\n[any]\ncommonName=supplied\n",
  );
  request("expired-client", ec);
  openssl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.crt", "-keyfile", "ca.key", "-in", "expired-client.csr", "-extfile", "client.ext", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-out", "expired-client.crt");
}

/** Runs `openssl s_client` against the port without blocking the server in this process; resolves with its exit status and output. */
function sClient(port: number, ...args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = execFile("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, ...args], { timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ ok: error === null, output: stdout + stderr }),
    );
    // Nothing to send: s_client closes the connection once its input ends.
    child.stdin?.end();
  });
}

describe("R-API-2: TLS and mTLS on the same port (h2 and HTTP/1.1 by ALPN)", () => {
  let dir: string;
  let ca: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "llm-pool-tls-"));
    makeCertificates(dir);
    ca = readFileSync(join(dir, "ca.crt"));
  }, 60_000);
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

  it("R-API-2: optional mTLS serves clients without a certificate and with a valid one, and refuses any other certificate", async () => {
    const pool = await startPool({ tls: { ...tls(), clientCaFile: join(dir, "ca.crt"), requireClientCert: false } });
    try {
      const baseUrl = `https://127.0.0.1:${pool.port}`;
      const infer = (httpVersion: "1.1" | "2", who?: string) => {
        const identity = who && { cert: readFileSync(join(dir, `${who}.crt`)), key: readFileSync(join(dir, `${who}.key`)) };
        const transport = createConnectTransport({ baseUrl, httpVersion, nodeOptions: { ca, ...identity } });
        return createClient(LlmPoolService, transport)
          .infer({ query })
          .then(
            (r) => r.answer?.requestId,
            (e: unknown) => ConnectError.from(e),
          );
      };
      for (const httpVersion of ["2", "1.1"] as const) {
        expect(await infer(httpVersion), `no certificate, HTTP/${httpVersion}`).toBe("tls-1");
        expect(await infer(httpVersion, "client"), `valid certificate, HTTP/${httpVersion}`).toBe("tls-1");
        for (const who of ["foreign-client", "expired-client", "self-signed"]) {
          expect(await infer(httpVersion, who), `${who}, HTTP/${httpVersion}`).toBeInstanceOf(ConnectError);
        }
      }
      expect(pool.service.calls).toHaveLength(4);
    } finally {
      await pool.server.close(1_000);
    }
  });

  it("R-API-2: TLS 1.2 static-RSA CBC suites (forbidden for HTTP/2, RFC 9113 §9.2.2) are refused; ECDHE with AES-GCM is served", async () => {
    const pool = await startPool({ tls: tls() });
    try {
      const cbc = await sClient(pool.port, "-tls1_2", "-cipher", "AES128-SHA");
      expect(cbc.ok, cbc.output).toBe(false);
      expect(cbc.output).toMatch(/alert handshake failure/);
      const gcm = await sClient(pool.port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
      expect(gcm.output).toMatch(/Cipher is ECDHE-RSA-AES128-GCM-SHA256/);
    } finally {
      await pool.server.close(1_000);
    }
  });

  it("R-API-2: TLS 1.1 is refused for its version, even when the process default would allow it", async () => {
    const processDefault = nodeTls.DEFAULT_MIN_VERSION;
    // What NODE_OPTIONS=--tls-min-v1.0 would do to every server that does not say its own minimum.
    nodeTls.DEFAULT_MIN_VERSION = "TLSv1";
    const pool = await startPool({ tls: tls() }).finally(() => (nodeTls.DEFAULT_MIN_VERSION = processDefault));
    try {
      // SECLEVEL=0 so that the refusal is the server's, not this openssl's own policy.
      const old = await sClient(pool.port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
      expect(old.ok).toBe(false);
      expect(old.output).toMatch(/alert protocol version/);
    } finally {
      await pool.server.close(1_000);
    }
  });
});
