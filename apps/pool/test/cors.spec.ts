import http from "node:http";
import http2 from "node:http2";
import { Code, PoolError } from "@llm-pool/core";
import { afterEach, describe, expect, it } from "vitest";
import type { EdgeAuth } from "../src/auth/edge-auth.js";
import { startPool, type RunningPool } from "./pool-fixture.js";

const APP = "https://app.example.com";
const INFER = "/vvtv.llmpool.v1.LlmPoolService/Infer";

/** The headers a connect-web client sends on a signed Infer: its preflight asks for these. */
const PREFLIGHT = {
  "access-control-request-method": "POST",
  "access-control-request-headers": "connect-protocol-version,content-type,x-api-key,x-nonce,x-signature,x-timestamp",
};

/** Refuses every credential, and counts how often it was asked. */
function refusingAuth() {
  const asked: string[] = [];
  const auth: EdgeAuth = {
    accessFor: (path) => (path === "/healthz" ? "public" : "infer"),
    authenticate: async (request) => {
      asked.push(`${request.method} ${request.path}`);
      throw new PoolError(Code.Unauthenticated, "the request is not authenticated");
    },
    admit: async () => ({}),
  };
  return { auth, asked };
}

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
}

function h1(pool: RunningPool, method: string, path: string, headers: Record<string, string>, body = ""): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: pool.port, method, path, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function h2(pool: RunningPool, method: string, path: string, headers: Record<string, string>, body = ""): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(pool.baseUrl);
    session.on("error", reject);
    const stream = session.request({ ":method": method, ":path": path, ...headers });
    stream.on("response", (responseHeaders) => {
      stream.resume();
      stream.on("end", () => {
        session.close();
        resolve({ status: Number(responseHeaders[":status"]), headers: responseHeaders as http.IncomingHttpHeaders });
      });
    });
    stream.on("error", reject);
    // node:http2 ends a GET's stream itself.
    if (method !== "GET") stream.end(body);
  });
}

const connectInfer = { "content-type": "application/json", "connect-protocol-version": "1" };
const inferBody = JSON.stringify({ query: { task: "TASK_JUDGE", prompt: "x" } });

describe("CORS for browser clients: [server] cors_allowed_origins (R-SDK-1)", () => {
  let pool: RunningPool | undefined;
  afterEach(() => pool?.server.close(100));

  it.each([
    ["HTTP/1.1", h1],
    ["HTTP/2", h2],
  ])("%s: an allowed origin's preflight is answered before auth, with the methods and headers connect-web sends", async (_, send) => {
    const { auth, asked } = refusingAuth();
    pool = await startPool({}, { auth, corsAllowedOrigins: () => [APP] });
    const reply = await send(pool, "OPTIONS", INFER, { origin: APP, ...PREFLIGHT });
    expect(reply.status).toBe(204);
    expect(reply.headers["access-control-allow-origin"]).toBe(APP);
    expect(reply.headers["access-control-allow-methods"]).toBe("POST, GET");
    const allowed = String(reply.headers["access-control-allow-headers"]).toLowerCase().split(", ");
    expect(allowed).toEqual(expect.arrayContaining(PREFLIGHT["access-control-request-headers"].split(",").concat("authorization", "traceparent")));
    expect(reply.headers.vary).toBe("Origin");
    expect(reply.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it.each([
    ["HTTP/1.1", h1],
    ["HTTP/2", h2],
  ])("%s: an allowed origin's answer, an error too, is readable: its origin back and Retry-After and grpc-status exposed", async (_, send) => {
    const { auth } = refusingAuth();
    pool = await startPool({}, { auth, corsAllowedOrigins: () => [APP] });
    const refused = await send(pool, "POST", INFER, { origin: APP, ...connectInfer }, inferBody);
    expect(refused.status).toBe(401);
    expect(refused.headers["access-control-allow-origin"]).toBe(APP);
    expect(String(refused.headers["access-control-expose-headers"]).toLowerCase().split(", ")).toEqual(
      expect.arrayContaining(["retry-after", "x-request-id", "grpc-status", "grpc-message", "grpc-status-details-bin"]),
    );
    const health = await send(pool, "GET", "/healthz", { origin: APP });
    expect([health.status, health.headers["access-control-allow-origin"]]).toEqual([200, APP]);
  });

  it("attack: another origin gets no CORS header, its preflight is refused, and look-alike origins are other origins", async () => {
    const { auth, asked } = refusingAuth();
    pool = await startPool({}, { auth, corsAllowedOrigins: () => [APP] });
    for (const origin of ["https://evil.example", "null", `${APP}.evil.example`, "http://app.example.com", `${APP}:444`, APP.toUpperCase()]) {
      const preflight = await h1(pool, "OPTIONS", INFER, { origin, ...PREFLIGHT });
      expect(preflight.status, origin).toBe(403);
      expect(preflight.headers["access-control-allow-origin"], origin).toBeUndefined();
      expect(preflight.headers["access-control-allow-methods"], origin).toBeUndefined();
      // A request sent anyway (a form post, a script ignoring the preflight) is served as without
      // CORS: auth still decides, and the browser withholds the answer from the page.
      const sent = await h1(pool, "POST", INFER, { origin, ...connectInfer }, inferBody);
      expect(sent.status, origin).toBe(401);
      expect(sent.headers["access-control-allow-origin"], origin).toBeUndefined();
      expect(sent.headers["access-control-expose-headers"], origin).toBeUndefined();
    }
    expect(asked).toHaveLength(6);
  });

  it("with no list (the default) no request gets a CORS header, whatever its origin", async () => {
    pool = await startPool({}, {});
    const preflight = await h1(pool, "OPTIONS", INFER, { origin: APP, ...PREFLIGHT });
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
    expect(preflight.headers.vary).toBeUndefined();
    const answer = await h1(pool, "POST", INFER, { origin: APP, ...connectInfer }, inferBody);
    expect(answer.status).toBe(200);
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("the list is read per request, so a reload applies to the next request (R-CFG-2)", async () => {
    let origins: string[] = [];
    pool = await startPool({}, { corsAllowedOrigins: () => origins });
    expect((await h1(pool, "OPTIONS", INFER, { origin: APP, ...PREFLIGHT })).headers["access-control-allow-origin"]).toBeUndefined();
    origins = [APP];
    expect((await h1(pool, "OPTIONS", INFER, { origin: APP, ...PREFLIGHT })).headers["access-control-allow-origin"]).toBe(APP);
  });
});
