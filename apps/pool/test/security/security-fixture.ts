import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { create, toBinary } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import type { TenancyConfig } from "@llm-pool/config";
import { InferRequestSchema, Task } from "@llm-pool/contract";
import { FakeClock, type Clock } from "@llm-pool/core";
import { createSecurity, signRequest, type Security, type SecurityOptions } from "@llm-pool/security";
import { SECRET_A, snapshotOf, specEnv, tenancyConfig } from "@llm-pool/security/test-support";
import { createMetrics } from "@llm-pool/telemetry";
import { createEdgeAuth } from "../../src/auth/create-edge-auth.js";
import { securityMetrics } from "../../src/auth/security-metrics.js";
import type { ModelCatalog } from "../../src/doors/model-catalog.js";
import { createPoolServer, type PoolServer } from "../../src/index.js";
import type { ServerOptions } from "../../src/server-options.js";
import { FakeInferService } from "../fake-infer-service.js";

export { SECRET_A, SECRET_B, SECRET_OPS, SECRET_OTHER, specEnv, tenancyConfig, tenancyWithOperator, tenantConfig } from "@llm-pool/security/test-support";

/** Unix seconds the fake clock starts at; signatures use it. */
export const NOW_S = 1_800_000_000;
export const INFER_PATH = "/vvtv.llmpool.v1.LlmPoolService/Infer";

export interface SecuredPool {
  readonly server: PoolServer;
  readonly service: FakeInferService;
  readonly security: Security;
  readonly clock: FakeClock;
  readonly baseUrl: string;
  readonly port: number;
  /** The Ollama-compatible door of the same server. */
  readonly ollamaUrl: string;
  readonly ollamaPort: number;
  /** Internal errors the server logged (must stay empty: no 500s). */
  readonly errors: unknown[];
  /** The tenancy in force; assign to simulate a hot reload. */
  tenancy: TenancyConfig;
  metricsPublic: boolean;
  close(): Promise<void>;
}

/**
 * A real pool server with the real auth step (createSecurity + createEdgeAuth)
 * and the real metrics of the security layer on /metrics, a fake service, a
 * fake clock.
 */
export async function startSecuredPool(
  options: {
    tenancy?: TenancyConfig;
    server?: Partial<ServerOptions>;
    security?: Partial<SecurityOptions>;
    clock?: FakeClock;
    metricsPublic?: boolean;
  } = {},
): Promise<SecuredPool> {
  const clock = options.clock ?? new FakeClock(NOW_S * 1000 + 250);
  const service = new FakeInferService();
  const errors: unknown[] = [];
  const state = { tenancy: options.tenancy ?? tenancyConfig(), metricsPublic: options.metricsPublic ?? true };
  const config = () => snapshotOf(state.tenancy, { metrics_public: state.metricsPublic });
  const logger = { error: (fields: { err?: unknown }) => errors.push(fields.err), warn: () => {} };
  const metrics = createMetrics({ defaultMetrics: false });
  const observer = securityMetrics(metrics.security, logger);
  const security = createSecurity({ config, env: specEnv, clock, observer, ...options.security });
  const server = createPoolServer(
    { host: "127.0.0.1", port: 0, ...options.server },
    {
      service,
      auth: createEdgeAuth({ security, config }),
      metrics: (audience) => metrics.render(audience),
      logger,
      clock: clock as Clock,
      doors: { catalog: FIXED_CATALOG, openai: true, ollama: { host: "127.0.0.1", port: 0 } },
    },
  );
  const { port, ollamaPort } = await server.start();
  return Object.assign(state, {
    server,
    service,
    security,
    clock,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    ollamaPort: ollamaPort!,
    ollamaUrl: `http://127.0.0.1:${ollamaPort}`,
    errors,
    async close() {
      await server.close(500);
      await security.close();
    },
  });
}

/** One model for the doors of the secured pool, whatever the config (its service is a fake). */
export const FIXED_CATALOG: ModelCatalog = {
  list: () => [{ id: "pool/expand_queries", task: "expand_queries" }],
  resolve: () => ({ id: "pool/expand_queries", task: "expand_queries" }),
};

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * One HTTP/1.1 request with headers as a raw list, so a test can repeat a
 * header (fetch would join the values with ", ").
 */
export function rawRequest(
  baseUrl: string,
  request: { method?: string; path: string; headers?: [string, string][]; body?: Uint8Array | string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = typeof request.body === "string" ? Buffer.from(request.body) : (request.body ?? new Uint8Array());
    const flat = (request.headers ?? []).flat();
    const has = (name: string) => (request.headers ?? []).some(([n]) => n.toLowerCase() === name);
    // With a raw header list Node adds neither Host nor Content-Length itself.
    if (!has("host")) flat.unshift("host", new URL(baseUrl).host);
    if (!has("content-length")) flat.push("content-length", String(body.byteLength));
    const req = http.request(`${baseUrl}${request.path}`, { method: request.method ?? "POST", headers: flat, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

export interface SignSpec {
  keyId?: string;
  secret?: string;
  method?: string;
  /** Path with an optional "?query", as sent. */
  path?: string;
  contentType?: string;
  body?: Uint8Array | string;
  timestamp?: number;
  nonce?: string;
}

/** The header list of a signed request (content type first). */
export function signedHeaders(spec: SignSpec, clock: Clock): [string, string][] {
  const target = spec.path ?? "/v1/infer";
  const q = target.indexOf("?");
  const body = typeof spec.body === "string" ? Buffer.from(spec.body) : (spec.body ?? new Uint8Array());
  const contentType = spec.contentType ?? "application/json";
  const headers = signRequest(spec.secret ?? SECRET_A, {
    keyId: spec.keyId ?? "vvtv-a",
    method: spec.method ?? "POST",
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? "" : target.slice(q + 1),
    contentType,
    body,
    timestamp: String(spec.timestamp ?? Math.floor(clock.now() / 1000)),
    ...(spec.nonce ? { nonce: spec.nonce } : {}),
  });
  return [["content-type", contentType], ...Object.entries(headers)];
}

export const inferBody = (prompt = "gatos", extra: Record<string, unknown> = {}) => JSON.stringify({ task: "TASK_EXPAND_QUERIES", prompt, ...extra });

/** POST /v1/infer signed for `spec` (body, key, path…), with `tamper` applied to the headers after signing. */
export function signedInfer(pool: { baseUrl: string; clock: Clock }, spec: SignSpec = {}, tamper: (h: [string, string][]) => [string, string][] = (h) => h) {
  const body = spec.body ?? inferBody();
  const headers = tamper(signedHeaders({ ...spec, body }, pool.clock));
  return rawRequest(pool.baseUrl, { method: spec.method ?? "POST", path: spec.path ?? "/v1/infer", headers, body });
}

/** A gRPC message in its length-prefixed envelope, as the body of a gRPC or gRPC-Web request. */
export function envelope(data: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(data.byteLength, 1);
  return Buffer.concat([head, data]);
}

export const inferRequest = (prompt = "gatos", query: Record<string, unknown> = {}) =>
  create(InferRequestSchema, { query: { task: Task.EXPAND_QUERIES, prompt, ...query } });

/**
 * Signs unary RPCs the way an SDK does: the body is the serialized request
 * message, enveloped for gRPC and gRPC-Web, bare for Connect unary.
 */
export function hmacInterceptor(spec: { keyId?: string; secret?: string; clock: Clock; mutate?: (headers: Headers) => void }): Interceptor {
  return (next) => async (req) => {
    if (req.stream) return next(req);
    const contentType = req.header.get("content-type") ?? "";
    const message = toBinary(req.method.input, req.message);
    const body = /^application\/(grpc|grpc-web)/.test(contentType) ? envelope(message) : message;
    const url = new URL(req.url);
    const headers = signRequest(spec.secret ?? SECRET_A, {
      keyId: spec.keyId ?? "vvtv-a",
      method: "POST",
      path: url.pathname,
      query: url.search.slice(1),
      contentType,
      body,
      now: spec.clock.now(),
    });
    for (const [name, value] of Object.entries(headers)) req.header.set(name, value);
    spec.mutate?.(req.header);
    return next(req);
  };
}

/**
 * One HTTP/1.1 request written on a bare socket, so the request target goes
 * out exactly as given (Node's client would resolve "/a/../b" to "/b").
 */
export function rawTarget(
  port: number,
  request: { method?: string; target: string; headers?: [string, string][]; body?: Uint8Array | string },
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const body = typeof request.body === "string" ? Buffer.from(request.body) : Buffer.from(request.body ?? new Uint8Array());
  const head = [
    `${request.method ?? "POST"} ${request.target} HTTP/1.1`,
    "host: 127.0.0.1",
    "connection: close",
    `content-length: ${body.byteLength}`,
    ...(request.headers ?? []).map(([name, value]) => `${name}: ${value}`),
  ];
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.end(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`), body])));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const end = text.indexOf("\r\n\r\n");
      const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
      resolve({ status: Number(statusLine!.split(" ")[1]), headers, text: text.slice(end + 4) });
    });
  });
}

/** The Connect GET form of a unary RPC: the message as JSON in the query. */
export function connectGetTarget(rpcPath: string, message: Record<string, unknown> = {}): string {
  return `${rpcPath}?connect=v1&encoding=json&message=${encodeURIComponent(JSON.stringify(message))}`;
}

/** A signed GET (no body, no content type) of `target`, path and query as sent. */
export function signedGet(pool: { baseUrl: string; clock: Clock }, target: string, spec: Omit<SignSpec, "path" | "method" | "body" | "contentType"> = {}) {
  const headers = signedHeaders({ ...spec, method: "GET", path: target, contentType: "" }, pool.clock).filter(([name]) => name !== "content-type");
  return rawRequest(pool.baseUrl, { method: "GET", path: target, headers });
}

/** One gRPC request over h2c with raw headers (metadata, signature headers); every header and trailer of the answer. */
export function grpcExchange(baseUrl: string, headers: Record<string, string>, body: Uint8Array, path = INFER_PATH): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...headers });
    const seen: Record<string, string> = {};
    const keep = (h: http2.IncomingHttpHeaders) => {
      for (const [k, v] of Object.entries(h)) if (typeof v === "string") seen[k] = v;
    };
    stream.on("response", keep);
    stream.on("trailers", keep);
    stream.on("data", () => {});
    stream.on("end", () => {
      session.close();
      resolve(seen);
    });
    stream.on("error", reject);
    stream.end(body);
  });
}
