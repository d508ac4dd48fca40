// R-DEP-2: what the shipped gateway does to a request on its way to the pool, seen from the pool's side.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  grpcClient,
  httpsRequest,
  inferRequest,
  makeTestCerts,
  signedRestHeaders,
  startGateway,
  type Gateway,
  type TestCerts,
} from "../src/index.js";
import { startRecordingUpstream, type Recorded } from "./recording-upstream.js";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const key = { keyId: "vvtv-a", secret: "s".repeat(64) };

describe("the gateway forwards requests unchanged over mTLS (R-DEP-2)", () => {
  let dir: string;
  let certs: TestCerts;
  let upstream: Awaited<ReturnType<typeof startRecordingUpstream>>;
  let gateway: Gateway;
  const last = (): Recorded => upstream.requests.at(-1)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "llm-pool-forwarding-"));
    certs = await makeTestCerts(dir);
    upstream = await startRecordingUpstream(certs);
    gateway = await startGateway({ certs, pools: [upstream.address] });
  });
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("R-DEP-2: REST: path and raw query, body bytes, HMAC headers and traceparent arrive as sent", async () => {
    const body = '{"task":"TASK_EXPAND_QUERIES","prompt":"ção \\u00e7 %41"}';
    const headers = { ...signedRestHeaders(key, body), traceparent: TRACEPARENT, tracestate: "vendor=1" };
    const res = await httpsRequest(`${gateway.url}/v1/infer?b=2&a=%41+x&&flag`, { ca: certs.pem(certs.edgeCa) }, { headers, body });
    expect(res.status).toBe(200);
    const seen = last();
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe("/v1/infer?b=2&a=%41+x&&flag");
    expect(seen.body.equals(Buffer.from(body))).toBe(true);
    for (const name of ["x-api-key", "x-timestamp", "x-nonce", "x-signature", "content-type", "traceparent", "tracestate"]) {
      expect(seen.headers[name], name).toBe(headers[name as keyof typeof headers]);
    }
    expect(seen.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen.clientCn).toBe("gateway-client");
  });

  it("R-DEP-2: gRPC goes over HTTP/2 with the signature metadata and traceparent unchanged", async () => {
    const client = grpcClient(gateway.url, certs.pem(certs.edgeCa), key);
    const error = await client
      .infer(inferRequest("via grpc"), { headers: { traceparent: TRACEPARENT } })
      .catch((e: unknown) => ConnectError.from(e));
    expect(error).toMatchObject({ code: Code.Unimplemented, rawMessage: "recorded" });
    const seen = last();
    expect(seen.httpVersion).toBe("2.0");
    expect(seen.url).toBe("/vvtv.llmpool.v1.LlmPoolService/Infer");
    expect(seen.headers["content-type"]).toBe("application/grpc+proto");
    expect(seen.headers.traceparent).toBe(TRACEPARENT);
    expect(seen.headers["x-api-key"]).toBe("vvtv-a");
    expect(seen.headers["x-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(seen.clientCn).toBe("gateway-client");
  });

  it("R-DEP-2: gRPC-Web and Connect (plain HTTP POSTs on the RPC path) are proxied as HTTP/1.1", async () => {
    const res = await httpsRequest(
      `${gateway.url}/vvtv.llmpool.v1.LlmPoolService/Infer`,
      { ca: certs.pem(certs.edgeCa) },
      { headers: { "content-type": "application/json", traceparent: TRACEPARENT }, body: "{}" },
    );
    expect(res.status).toBe(200);
    expect(last()).toMatchObject({ httpVersion: "1.1", url: "/vvtv.llmpool.v1.LlmPoolService/Infer" });
    expect(last().headers.traceparent).toBe(TRACEPARENT);
  });
});

describe("the gateway's per-address limit and allowlist (R-DEP-2)", () => {
  let dir: string;
  let certs: TestCerts;
  let upstream: Awaited<ReturnType<typeof startRecordingUpstream>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "llm-pool-limits-"));
    certs = await makeTestCerts(dir);
    upstream = await startRecordingUpstream(certs);
  });
  afterAll(async () => {
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("R-DEP-2: over the rate (1 a minute, burst 40) the gateway answers 429 with Retry-After; exactly 41 pass", async () => {
    const gateway = await startGateway({ certs, pools: [upstream.address], rate: "1r/m" });
    try {
      const before = upstream.requests.length;
      const results = await Promise.all(
        Array.from({ length: 60 }, () =>
          httpsRequest(`${gateway.url}/v1/infer`, { ca: certs.pem(certs.edgeCa) }, { headers: { "content-type": "application/json" }, body: "{}" }),
        ),
      );
      const refused = results.filter((r) => r.status === 429);
      expect(results.filter((r) => r.status === 200)).toHaveLength(41);
      expect(refused).toHaveLength(19);
      expect(refused[0]!.headers["retry-after"]).toBe("1");
      expect(refused[0]!.json()).toMatchObject({ code: "resource_exhausted" });
      expect(upstream.requests.length - before).toBe(41);

      const client = grpcClient(gateway.url, certs.pem(certs.edgeCa), key);
      const error = await client.infer(inferRequest("limited")).catch((e: unknown) => ConnectError.from(e));
      expect(error).toMatchObject({ code: Code.ResourceExhausted, rawMessage: "too many requests from this address" });
    } finally {
      await gateway.stop();
    }
  });

  it("R-DEP-2: with an allowlist, an address outside it gets 403 and one inside passes", async () => {
    const denied = await startGateway({ certs, pools: [upstream.address], allowlist: ["allow 192.0.2.0/24;", "deny all;"] });
    try {
      const res = await httpsRequest(`${denied.url}/v1/infer`, { ca: certs.pem(certs.edgeCa) }, { body: "{}" });
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({ code: "permission_denied" });
    } finally {
      await denied.stop();
    }
    const allowed = await startGateway({ certs, pools: [upstream.address], allowlist: ["allow 127.0.0.1;", "deny all;"] });
    try {
      const res = await httpsRequest(`${allowed.url}/v1/infer`, { ca: certs.pem(certs.edgeCa) }, { body: "{}" });
      expect(res.status).toBe(200);
    } finally {
      await allowed.stop();
    }
  });
});
