import http from "node:http";
import http2 from "node:http2";
import { toJson } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { AnswerSchema, LlmPoolService, Task } from "@llm-pool/contract";
import { parseConfig } from "@llm-pool/config";
import { FakeClock } from "@llm-pool/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GrpcHealthService, HealthCheckResponse_ServingStatus as HealthStatus } from "../src/index.js";
import { serverOptionsFrom } from "../src/server-config.js";
import { answerFor } from "./fake-infer-service.js";
import { startPool, type RunningPool } from "./pool-fixture.js";
import { connect, tricklingProxy, until, untilClosed } from "./sockets.js";
import { rpcTransports } from "./transports.js";

const query = { requestId: "srv-1", task: Task.RECOVERY_PLAN, prompt: "engine down" };
const healthz = "GET /healthz HTTP/1.1\r\nHost: pool\r\n\r\n";

describe("R-API-2: one port, protocol sniffing", () => {
  let pool: RunningPool;
  beforeAll(async () => {
    pool = await startPool({ headersTimeoutMs: 300, requestTimeoutMs: 1_000, maxHeaderBytes: 8_192 });
  });
  afterAll(() => pool.server.close(1_000));

  it("R-API-2: HTTP/1.1 and h2c preface sent one byte at a time lose no bytes", async () => {
    const proxy = await tricklingProxy(pool.port, 30);
    try {
      const viaProxy = `http://127.0.0.1:${proxy.port}`;
      for (const name of ["gRPC (h2c)", "Connect binary (HTTP/1.1)"]) {
        const { answer } = await createClient(LlmPoolService, rpcTransports(viaProxy)[name]!).infer({ query });
        expect(toJson(AnswerSchema, answer!), name).toEqual(toJson(AnswerSchema, answerFor(pool.service.calls.at(-1)!.query)));
      }
      const res = await fetch(`${viaProxy}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      proxy.close();
    }
  });

  it("a connection that sends nothing is closed within header_timeout_ms", async () => {
    const socket = await connect(pool.port);
    expect(await untilClosed(socket)).toBe("");
  });

  it("a connection that stops inside the HTTP/2 preface is closed within header_timeout_ms", async () => {
    const socket = await connect(pool.port);
    socket.write("PRI * HTTP/2.0\r\n");
    expect(await untilClosed(socket)).toBe("");
  });

  it("a connection that closes inside the preface is dropped, and the server carries on", async () => {
    const socket = await connect(pool.port);
    socket.end("PRI * HT");
    await untilClosed(socket);
    expect((await fetch(`${pool.baseUrl}/healthz`)).status).toBe(200);
  });

  it("garbage goes to the HTTP/1.1 parser, which answers 400 and closes", async () => {
    const socket = await connect(pool.port);
    socket.write("\u0000\u0001\u0002 not http at all\r\n\r\n");
    expect(await untilClosed(socket)).toMatch(/^HTTP\/1\.1 400 /);
  });

  it("a slow HTTP/1.1 client that never finishes its headers is cut after the headers timeout", async () => {
    const socket = await connect(pool.port);
    socket.write("GET /healthz HTTP/1.1\r\nHost: pool\r\n");
    const started = Date.now();
    expect(await untilClosed(socket)).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("oversize HTTP/1.1 headers are 431", async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(`${pool.baseUrl}/healthz`, { headers: { "x-big": "a".repeat(10_000) } }, resolve);
      req.on("error", reject);
      req.end();
    });
    expect(res.statusCode).toBe(431);
  });

  it("oversize HTTP/2 headers are 431", async () => {
    const session = http2.connect(pool.baseUrl);
    try {
      const status = await new Promise((resolve, reject) => {
        const req = session.request({ ":path": "/healthz", "x-big": "a".repeat(10_000) });
        req.on("response", (headers) => resolve(headers[":status"]));
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(431);
    } finally {
      session.close();
    }
  });

  it("an HTTP/2 stream whose request never completes is cancelled after the request timeout", async () => {
    const session = http2.connect(pool.baseUrl);
    try {
      const stream = session.request({ ":path": "/v1/infer", ":method": "POST" });
      stream.on("error", () => {});
      stream.write("{");
      await new Promise((resolve) => stream.on("close", resolve));
      expect(stream.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
    } finally {
      session.close();
    }
  });

  it("an HTTP/1.1 request body trickling one byte at a time is cut at request_timeout_ms with 408", async () => {
    const socket = await connect(pool.port);
    const received = untilClosed(socket);
    socket.write("POST /v1/infer HTTP/1.1\r\nHost: pool\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n");
    let sent = 0;
    while (!socket.destroyed && sent < 100) {
      socket.write(" ");
      sent++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await received).toMatch(/^HTTP\/1\.1 408 /);
    // Cut while still trickling: bytes arriving do not extend the bound.
    expect(sent).toBeLessThan(100);
  });

  it("keep-alive: two HTTP/1.1 requests on one connection", async () => {
    const socket = await connect(pool.port);
    socket.write(healthz + healthz);
    const received = await until(socket, (r) => r.split("HTTP/1.1 200").length === 3);
    expect(received).toContain('{"status":"ok"}');
    socket.destroy();
  });
});

describe("R-API-2: one clock per connection and per request", () => {
  let pool: RunningPool | undefined;
  afterEach(async () => {
    await pool?.server.close(100);
    pool = undefined;
  });

  // Node's own HTTP/1.1 timers run on real time and are set far beyond the test; only the pool's
  // clock (fake here) can cut these connections.
  const options = { headersTimeoutMs: 60_000, requestTimeoutMs: 60_000 };

  it("an HTTP/2 request trickling one byte at a time is cut at request_timeout_ms from its first byte", async () => {
    const clock = new FakeClock();
    pool = await startPool(options, { clock });
    const session = http2.connect(pool.baseUrl);
    try {
      const stream = session.request({ ":path": "/v1/infer", ":method": "POST" });
      stream.on("error", () => {});
      const closed = new Promise((resolve) => stream.on("close", resolve));
      let sent = 0;
      await new Promise((resolve) => stream.once("ready", resolve));
      while (!stream.closed && sent < 100) {
        await new Promise<void>((resolve) => stream.write("{", () => resolve()));
        sent++;
        await clock.advance(10_000);
      }
      await closed;
      expect(stream.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
      // Cut while still trickling: activity does not restart the clock.
      expect(sent).toBeLessThan(100);
    } finally {
      session.destroy();
    }
  });

  it("the protocol sniff counts against header_timeout_ms: a client silent before its first byte gets only the rest", async () => {
    const clock = new FakeClock();
    pool = await startPool(options, { clock });
    const socket = await connect(pool.port);
    const received = untilClosed(socket);
    await clock.advance(50_000);
    socket.write("GET /healthz HTTP/1.1\r\nHost: pool\r\n");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await clock.advance(10_001);
    expect(await received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("a silent connection is closed as soon as header_timeout_ms passes (the sniff has no longer bound of its own)", async () => {
    const clock = new FakeClock();
    pool = await startPool(options, { clock });
    const socket = await connect(pool.port);
    let closed = false;
    socket.on("close", () => (closed = true)).on("error", () => {});
    await clock.advance(59_000);
    expect((await fetch(`${pool.baseUrl}/healthz`)).status).toBe(200);
    expect(closed).toBe(false);
    await clock.advance(1_001);
    // A round trip on another connection lets the close arrive; the silent one is gone by then.
    expect((await fetch(`${pool.baseUrl}/healthz`)).status).toBe(200);
    expect(closed).toBe(true);
  });
});

describe("R-API-2: max_connections", () => {
  it("connections over max_connections are closed at once, counted, and the server carries on", async () => {
    const refused: string[] = [];
    const pool = await startPool({ maxConnections: 2 }, { transportObserver: { refused: (reason) => void refused.push(reason) } });
    try {
      const held = [await connect(pool.port), await connect(pool.port)];
      const third = await connect(pool.port);
      third.write(healthz);
      expect(await untilClosed(third)).toBe("");
      expect(refused).toEqual(["max_connections"]);
      for (const socket of held) socket.destroy();
      await expect.poll(async () => (await fetch(`${pool.baseUrl}/healthz`).catch(() => undefined))?.status).toBe(200);
    } finally {
      await pool.server.close(100);
    }
  });
});

describe("R-API-5: graceful close", () => {
  let pool: RunningPool | undefined;
  afterEach(async () => {
    await pool?.server.close(100);
    pool = undefined;
  });

  /** Makes every infer wait until the returned function is called. */
  function gate(running: RunningPool): () => void {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    running.service.behaviour = async (q) => {
      await opened;
      return answerFor(q);
    };
    return open;
  }

  it("R-API-5: requests in flight finish, new connections are refused, close resolves after them", async () => {
    pool = await startPool();
    const open = gate(pool);
    const rest = fetch(`${pool.baseUrl}/v1/infer`, { method: "POST", body: JSON.stringify(query) });
    const grpc = createClient(LlmPoolService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!).infer({ query });
    await expect.poll(() => pool!.service.calls.length).toBe(2);

    const events: string[] = [];
    const closed = pool.server.close(10_000).then(() => events.push("closed"));
    await expect(fetch(`${pool.baseUrl}/healthz`)).rejects.toThrow();
    events.push("refused");
    await new Promise((resolve) => setTimeout(resolve, 100));
    events.push("released");
    open();
    const [restRes, grpcRes] = await Promise.all([rest, grpc]);
    expect(restRes.status).toBe(200);
    expect(((await restRes.json()) as { requestId: string }).requestId).toBe("srv-1");
    expect(grpcRes.answer?.requestId).toBe("srv-1");
    await closed;
    // close waited for the requests it let finish.
    expect(events).toEqual(["refused", "released", "closed"]);
  });

  it("R-API-5: what is still running when the grace ends is cut, and close resolves", async () => {
    pool = await startPool();
    gate(pool); // never opened
    const rest = fetch(`${pool.baseUrl}/v1/infer`, { method: "POST", body: JSON.stringify(query) }).then(
      (r) => r.status,
      () => "cut",
    );
    await expect.poll(() => pool!.service.calls.length).toBe(1);
    const started = Date.now();
    await pool.server.close(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await rest).toBe("cut");
  });

  it("R-API-5: idle keep-alive and h2 connections do not hold the close up", async () => {
    pool = await startPool({ keepAliveTimeoutMs: 60_000, sessionIdleTimeoutMs: 60_000 });
    const idle = await connect(pool.port);
    idle.write(healthz);
    await until(idle, (r) => r.includes('{"status":"ok"}'));
    const idleClosed = untilClosed(idle);
    await createClient(LlmPoolService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!).infer({ query });
    const started = Date.now();
    await pool.server.close(30_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    await idleClosed;
  });

  it("R-API-5: an open grpc.health.v1 Watch says NOT_SERVING and ends when the server drains", async () => {
    pool = await startPool({}, { healthWatchIntervalMs: 20 });
    const client = createClient(GrpcHealthService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!);
    const statuses: number[] = [];
    const watching = (async () => {
      for await (const { status } of client.watch({ service: "" })) statuses.push(status);
    })();
    await expect.poll(() => statuses.length).toBe(1);
    const started = Date.now();
    await pool.server.close(30_000);
    await watching;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(statuses).toEqual([HealthStatus.SERVING, HealthStatus.NOT_SERVING]);
  });
});

/** `[server]` as the config loader resolves it from `fields`. */
async function serverConfig(fields: string) {
  const toml = `[server]\n${fields}\n[[providers]]\nname = "m"\ndriver = "ollama"\nbase_url = "http://127.0.0.1:11434"\nmodel = "m"\n[tenancy]\nauth = "none"\nallow_unauthenticated = true\n`;
  return (await parseConfig(toml, { baseDir: ".", env: {} })).server;
}

describe("[server] idle_timeout_ms on the listener (HTTP/1.1 keep-alive)", () => {
  let pool: RunningPool | undefined;
  afterEach(async () => {
    await pool?.server.close(1_000);
    pool = undefined;
  });

  it("R-CFG-1: an idle keep-alive connection is closed after idle_timeout_ms, well before Node's default 5 s", async () => {
    const server = await serverConfig("idle_timeout_ms = 200");
    pool = await startPool(serverOptionsFrom({ ...server, port: 0 }));
    const socket = await connect(pool.port);
    socket.write(healthz);
    // The server closes the connection by itself; before the fix it stayed open 5 s and this test timed out.
    expect(await untilClosed(socket)).toContain('{"status":"ok"}');
  }, 4_000);

  it("R-CFG-1: a keep-alive connection idle for longer than header_timeout_ms but within idle_timeout_ms serves its next request", async () => {
    const server = await serverConfig("header_timeout_ms = 100\nidle_timeout_ms = 60000");
    pool = await startPool(serverOptionsFrom({ ...server, port: 0 }));
    const socket = await connect(pool.port);
    socket.write(healthz);
    await until(socket, (r) => r.includes('{"status":"ok"}'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    socket.write(healthz);
    expect(await until(socket, (r) => r.includes('{"status":"ok"}'))).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();
  });
});
