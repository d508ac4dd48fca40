import http2 from "node:http2";
import { Code, FakeClock, PoolError } from "@llm-pool/core";
import { createSecurity, headerListFromRecord } from "@llm-pool/security";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INFER_PATH, NOW_S, rawRequest, signedHeaders, specEnv, startSecuredPool, tenancyConfig, type SecuredPool } from "./security-fixture.js";
import { snapshotOf } from "@llm-pool/security/test-support";

const printable = (max: number) =>
  fc.array(fc.integer({ min: 0x20, max: 0x7e }), { maxLength: max }).map((codes) => String.fromCharCode(...codes));

/** Header values that are almost right as often as wrong. */
const nearValid = {
  "x-api-key": fc.oneof(fc.constantFrom("vvtv-a", "vvtv-b", "other-a", "ghost", "", "vvtv-a, vvtv-a"), printable(40)),
  "x-timestamp": fc.oneof(
    fc.constantFrom(String(NOW_S), "abc", "1e9", "-1", `${NOW_S}000`, `${NOW_S}.5`, "", " 1800000000", "NaN", "Infinity"),
    fc.integer().map(String),
    printable(20),
  ),
  "x-nonce": fc.oneof(fc.constantFrom("AAAAAAAAAAAAAAAAAAAAAA", "short", ""), printable(60)),
  "x-signature": fc.oneof(
    fc.constantFrom("v1=", `v1=${"a".repeat(64)}`, `v1=${"A".repeat(64)}`, `v2=${"a".repeat(64)}`, ""),
    fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 0, maxLength: 70 }).map((h) => `v1=${h}`),
    printable(80),
  ),
  authorization: fc.oneof(fc.constantFrom("Bearer ", "Bearer a.b.c", "Basic x", "Bearer eyJhbGciOiJub25lIn0.e30."), printable(100)),
  "content-type": fc.oneof(fc.constantFrom("application/json", "application/grpc", "application/proto", "text/plain", ""), printable(40)),
};

/** Some of the auth headers, each absent, once, or repeated. */
const headerSets = fc.record(
  Object.fromEntries(Object.entries(nearValid).map(([k, v]) => [k, fc.option(fc.array(v, { minLength: 1, maxLength: 3 }), { nil: undefined })])),
) as fc.Arbitrary<Record<string, string[] | undefined>>;

describe("fast-check: random headers, bodies and protobuf bytes at the auth layer", () => {
  it("the Authenticator only ever refuses with 401/403 (hmac_or_jwt), never throws anything else", async () => {
    const clock = new FakeClock(NOW_S * 1000);
    const tenancy = tenancyConfig({ auth: "hmac_or_jwt" });
    const security = createSecurity({ config: () => snapshotOf(tenancy), env: specEnv, clock });
    await fc.assert(
      fc.asyncProperty(headerSets, fc.uint8Array({ maxLength: 256 }), printable(30), printable(30), async (headers, body, path, query) => {
        const outcome = await security.authenticator
          .authenticate({ method: "POST", path: `/${path}`, query, headers: headerListFromRecord(headers), body }, "infer")
          .then(() => "passed", (e: unknown) => e);
        if (outcome === "passed") return;
        expect(outcome).toBeInstanceOf(PoolError);
        expect([Code.Unauthenticated, Code.PermissionDenied]).toContain((outcome as PoolError).code);
      }),
      { numRuns: 1_500 },
    );
  });

  describe("against a real server", () => {
    let pool: SecuredPool;
    beforeAll(async () => {
      pool = await startSecuredPool({ tenancy: tenancyConfig({}, { rate_burst: 100_000 }) });
    });
    afterAll(() => pool.close());

    it("REST: random auth headers and bodies are always a 4xx", async () => {
      await fc.assert(
        fc.asyncProperty(headerSets, fc.uint8Array({ maxLength: 512 }), async (headers, body) => {
          const list = Object.entries(headers).flatMap(([k, vs]) => (vs ?? []).map((v): [string, string] => [k, v]));
          const res = await rawRequest(pool.baseUrl, { path: "/v1/infer", headers: list, body });
          if (res.headers["grpc-status"] !== undefined) {
            // A gRPC content type on a REST path is an RPC to a method the server does not have:
            // answered the gRPC way (HTTP 200), UNAUTHENTICATED before it could be UNIMPLEMENTED.
            expect(res.headers["grpc-status"]).toBe("16");
            return;
          }
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        }),
        { numRuns: 150 },
      );
    });

    it("gRPC: random metadata and random protobuf bytes are refused without INTERNAL/UNKNOWN", async () => {
      const session = http2.connect(pool.baseUrl);
      try {
        await fc.assert(
          fc.asyncProperty(headerSets, fc.uint8Array({ maxLength: 300 }), async (headers, body) => {
            const meta: Record<string, string> = {};
            for (const [k, vs] of Object.entries(headers)) if (vs && k !== "content-type") meta[k] = vs[0]!;
            const status = await grpcStatus(session, meta, body);
            expect(["3", "7", "8", "16"]).toContain(status);
          }),
          { numRuns: 150 },
        );
      } finally {
        session.close();
      }
    });

    it("correctly signed random protobuf bytes never cause a 5xx (parse errors are 400, valid ones answer)", async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.constantFrom("application/proto", "application/grpc-web+proto"), async (message, contentType) => {
          const body = contentType === "application/proto" ? message : Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]);
          const headers = signedHeaders({ path: INFER_PATH, contentType, body }, pool.clock);
          const res = await rawRequest(pool.baseUrl, { path: INFER_PATH, headers: [...headers, ["connect-protocol-version", "1"]], body });
          expect(res.status).toBeLessThan(500);
          if (contentType === "application/grpc-web+proto") expect(res.headers["grpc-status"] ?? "0").not.toMatch(/^(2|13)$/);
        }),
        { numRuns: 150 },
      );
      expect(pool.errors).toEqual([]);
    });
  });
});

function grpcStatus(session: http2.ClientHttp2Session, headers: Record<string, string>, body: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const envelope = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), body]);
    envelope.writeUInt32BE(body.length, 1);
    const stream = session.request({ ":method": "POST", ":path": INFER_PATH, "content-type": "application/grpc", te: "trailers", ...headers });
    let status = "";
    stream.on("response", (h) => (status = String(h["grpc-status"] ?? status)));
    stream.on("trailers", (t) => (status = String(t["grpc-status"] ?? status)));
    stream.on("data", () => {});
    stream.on("end", () => resolve(status));
    stream.on("error", reject);
    stream.end(envelope);
  });
}

