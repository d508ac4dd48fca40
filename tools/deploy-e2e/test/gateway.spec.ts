// R-DEP-2: the shipped NGINX gateway (gateway/nginx) in front of a real pool process over mTLS.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  grpcClient,
  httpsRequest,
  inferBody,
  inferRequest,
  REPO_ROOT,
  signedRestHeaders,
  startDeployment,
  type Deployment,
  type HttpsResponse,
} from "../src/index.js";

describe("the gateway in front of one pool (R-DEP-2)", () => {
  let d: Deployment;
  const viaGateway = (request: Parameters<typeof httpsRequest>[2]): Promise<HttpsResponse> =>
    httpsRequest(`${d.gateway.url}/v1/infer`, { ca: d.certs.pem(d.certs.edgeCa) }, request);
  const signedInfer = (prompt: string, extra: Record<string, unknown> = {}) => {
    const body = inferBody(prompt, extra);
    return { body, headers: signedRestHeaders(d.key, body) };
  };

  beforeAll(async () => {
    d = await startDeployment({ pool: { rateRps: 0.01, rateBurst: 30 } });
  });
  afterAll(() => d?.close());

  it("R-DEP-2: a signed REST request passes over HTTPS and the pool answers it", async () => {
    const res = await viaGateway(signedInfer("gatos pretos"));
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ winnerProvider: "fast", output: expect.any(String) });
    expect(res.headers["ratelimit-policy"]).toBeDefined();
  });

  it("R-DEP-2: a signed gRPC request passes over HTTPS (HTTP/2, grpc_pass with mTLS to the pool)", async () => {
    const client = grpcClient(d.gateway.url, d.certs.pem(d.certs.edgeCa), d.key);
    const res = await client.infer(inferRequest("gatos pretos via grpc"));
    expect(res.answer?.winnerProvider).toBe("fast");
    expect(d.gateway.accessLog().some((line) => line.includes("/vvtv.llmpool.v1.LlmPoolService/Infer HTTP/2.0\" 200"))).toBe(true);
  });

  it("R-DEP-2: an unsigned request is refused with 401 (REST) and UNAUTHENTICATED (gRPC)", async () => {
    const res = await viaGateway({ headers: { "content-type": "application/json" }, body: inferBody("no signature") });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ code: "unauthenticated" });
    const client = grpcClient(d.gateway.url, d.certs.pem(d.certs.edgeCa));
    const error = await client.infer(inferRequest("no signature")).catch((e: unknown) => ConnectError.from(e));
    expect(error).toMatchObject({ code: Code.Unauthenticated });
  });

  it("R-DEP-2: the same signed request sent twice is a replay: 200 then 401", async () => {
    const request = signedInfer("once only");
    expect((await viaGateway(request)).status).toBe(200);
    const replay = await viaGateway(request);
    expect(replay.status).toBe(401);
    expect(replay.json()).toMatchObject({ code: "unauthenticated" });
  });

  it("R-DEP-2: a body over the gateway's 64 KiB is refused by the gateway with 413, before the pool", async () => {
    const before = d.gateway.accessLog().length;
    const res = await viaGateway(signedInfer("x".repeat(70_000)));
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("gateway") });
    const line = d.gateway.accessLog().slice(before).find((l) => l.includes(" 413 "));
    expect(line).toContain("upstream=- ");
  });

  it("R-DEP-2: a gRPC message over 64 KiB is refused by the gateway with RESOURCE_EXHAUSTED", async () => {
    const client = grpcClient(d.gateway.url, d.certs.pem(d.certs.edgeCa), d.key);
    const error = await client.infer(inferRequest("y".repeat(70_000))).catch((e: unknown) => ConnectError.from(e));
    expect(error).toMatchObject({ code: Code.ResourceExhausted, rawMessage: expect.stringContaining("gateway") });
  });

  it("R-DEP-2: a header over the gateway's 8 KiB is refused by the gateway with 431", async () => {
    const request = signedInfer("big header");
    const res = await viaGateway({ ...request, headers: { ...request.headers, "x-padding": "p".repeat(9_000) } });
    expect(res.status).toBe(431);
    expect(res.json()).toMatchObject({ code: "header_too_large" });
  });

  it("R-DEP-2: a path the pool does not serve is answered 404 by the gateway", async () => {
    const res = await httpsRequest(`${d.gateway.url}/metrics`, { ca: d.certs.pem(d.certs.edgeCa) });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ code: "not_found", message: "no route at the gateway" });
  });

  it("R-DEP-2: over the tenant's limit the pool's 429 reaches the client with Retry-After", async () => {
    const statuses: number[] = [];
    let refused: HttpsResponse | undefined;
    for (let i = 0; i < 40 && !refused; i++) {
      const res = await viaGateway(signedInfer(`limit ${i}`));
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(refused?.json()).toMatchObject({ code: "resource_exhausted" });
    expect(refused?.headers["retry-after"]).toMatch(/^\d+$/);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
  });

  describe("the pool's own listener (mTLS)", () => {
    const poolUrl = () => `https://127.0.0.1:${d.pools[0]!.port}/healthz`;

    it("R-DEP-2: refuses a direct connection without a client certificate", async () => {
      await expect(httpsRequest(poolUrl(), { ca: d.certs.pem(d.certs.meshCa) })).rejects.toMatchObject({
        code: "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
      });
    });

    it("R-DEP-2: refuses a client certificate that the mesh CA did not sign", async () => {
      const foreign = { cert: d.certs.pem(d.certs.gateway.cert), key: d.certs.pem(d.certs.gateway.key) };
      await expect(httpsRequest(poolUrl(), { ca: d.certs.pem(d.certs.meshCa), ...foreign })).rejects.toMatchObject({
        // Node ends the handshake of an unverifiable certificate by closing the connection.
        code: expect.stringMatching(/^(ECONNRESET|ERR_SSL_TLSV1_ALERT_UNKNOWN_CA)$/),
      });
    });

    it("R-DEP-2: accepts the gateway's client certificate", async () => {
      const client = { cert: d.certs.pem(d.certs.gatewayClient.cert), key: d.certs.pem(d.certs.gatewayClient.key) };
      const res = await httpsRequest(poolUrl(), { ca: d.certs.pem(d.certs.meshCa), ...client });
      expect(res.status).toBe(200);
    });
  });

  describe("the container's probe, deploy/healthcheck.mjs (R-DEP-1)", () => {
    const probe = async (path: string, env: Record<string, string>): Promise<{ code: number; output: string }> => {
      const url = `https://127.0.0.1:${d.pools[0]!.port}${path}`;
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [join(REPO_ROOT, "deploy/healthcheck.mjs"), url], { env: { ...process.env, ...env } });
        return { code: 0, output: stdout };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, output: e.stdout + e.stderr };
      }
    };
    const clientCert = () => ({ LLMPOOL_PROBE_CERT: d.certs.gatewayClient.cert, LLMPOOL_PROBE_KEY: d.certs.gatewayClient.key });

    it("R-DEP-1: exits 0 for /healthz and /readyz of a pool that requires client certificates, showing one", async () => {
      expect(await probe("/healthz", clientCert())).toEqual({ code: 0, output: "/healthz: 200\n" });
      expect(await probe("/readyz", { ...clientCert(), LLMPOOL_PROBE_CA: d.certs.meshCa })).toEqual({ code: 0, output: "/readyz: 200\n" });
    });

    it("R-DEP-1: exits 1 when the pool refuses it (no client certificate)", async () => {
      expect((await probe("/healthz", {})).code).toBe(1);
    });
  });
});
