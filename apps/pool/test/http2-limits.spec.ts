import http from "node:http";
import http2 from "node:http2";
import { ConnectError, Code as RpcCode, createClient } from "@connectrpc/connect";
import { ErrorDetailSchema, LlmPoolService, Task, type Query } from "@llm-pool/contract";
import { afterEach, describe, expect, it } from "vitest";
import type { TransportRefusal } from "../src/transport/transport-observer.js";
import { answerFor } from "./fake-infer-service.js";
import { startPool, type RunningPool } from "./pool-fixture.js";
import { RawH2Client } from "./raw-h2.js";
import { rpcTransports } from "./transports.js";

const { NGHTTP2_REFUSED_STREAM, NGHTTP2_ENHANCE_YOUR_CALM, NGHTTP2_CANCEL } = http2.constants;
const SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;

const fast = { requestId: "fast-1", task: Task.RECOVERY_PLAN, prompt: "fast" };
const slowBody = Buffer.from(JSON.stringify({ requestId: "slow", task: Task.RECOVERY_PLAN, prompt: "slow" }));

/** Queries whose prompt is "slow" wait until the returned function is called; the others answer at once. */
function slowGate(pool: RunningPool): () => void {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  pool.service.behaviour = async (query: Query) => {
    if (query.prompt === "slow") await opened;
    return answerFor(query);
  };
  return open;
}

/** Opens `count` REST infer streams on the raw connection in one write, ids 1, 3, 5, … */
function openSlowStreams(client: RawH2Client, count: number, firstId = 1): void {
  const frames: Buffer[] = [];
  for (let i = 0, id = firstId; i < count; i++, id += 2) {
    frames.push(
      client.headersFrame(
        id,
        { ":method": "POST", ":path": "/v1/infer", ":scheme": "http", ":authority": "pool", "content-type": "application/json" },
        false,
      ),
      client.dataFrame(id, slowBody, true),
    );
  }
  client.write(Buffer.concat(frames));
}

function recordingObserver(): { refused: TransportRefusal[]; observer: { refused(reason: TransportRefusal): void } } {
  const refused: TransportRefusal[] = [];
  return { refused, observer: { refused: (reason) => void refused.push(reason) } };
}

describe("R-API-2: HTTP/2 streams and requests in flight are bounded", () => {
  let pool: RunningPool | undefined;
  const clients: RawH2Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await pool?.server.close(100);
    pool = undefined;
  });

  it("advertises SETTINGS_MAX_CONCURRENT_STREAMS and refuses the streams over it; another client is still served", async () => {
    pool = await startPool({ maxStreamsPerConnection: 4, maxInFlight: 50 });
    const open = slowGate(pool);
    const attacker = await RawH2Client.connect(pool.port);
    clients.push(attacker);
    // Sent with the preface, before the client could have seen (and acknowledged) the server's SETTINGS.
    openSlowStreams(attacker, 12);
    await attacker.until((c) => pool!.service.calls.length + c.resets().size >= 12);

    expect(attacker.settings().get(SETTINGS_MAX_CONCURRENT_STREAMS)).toBe(4);
    expect(pool.service.calls).toHaveLength(4);
    expect([...attacker.resets().values()]).toEqual(Array(8).fill(NGHTTP2_REFUSED_STREAM));

    const other = createClient(LlmPoolService, rpcTransports(pool.baseUrl)["gRPC (h2c)"]!);
    expect((await other.infer({ query: fast })).answer?.requestId).toBe("fast-1");
    open();
    await attacker.until((c) => c.answered().size === 4);
  });

  it("a client that acknowledged the limit and still exceeds it loses its connection; others are served", async () => {
    pool = await startPool({ maxStreamsPerConnection: 4, maxInFlight: 50 });
    const open = slowGate(pool);
    const attacker = await RawH2Client.connect(pool.port);
    clients.push(attacker);
    await attacker.until((c) => c.settings().size > 0);
    openSlowStreams(attacker, 12);
    await attacker.closed;
    expect(pool.service.calls.length).toBeLessThanOrEqual(4);

    const res = await fetch(`${pool.baseUrl}/v1/infer`, { method: "POST", body: JSON.stringify(fast) });
    expect(res.status).toBe(200);
    open();
  });

  it("over max_in_flight, requests are refused at once with 503 / UNAVAILABLE, Retry-After and an ErrorDetail", async () => {
    const { refused, observer } = recordingObserver();
    pool = await startPool({ maxStreamsPerConnection: 10, maxInFlight: 3 }, { transportObserver: observer });
    const open = slowGate(pool);
    const attacker = await RawH2Client.connect(pool.port);
    clients.push(attacker);
    openSlowStreams(attacker, 3);
    await expect.poll(() => pool!.service.calls.length).toBe(3);

    // REST
    const rest = await fetch(`${pool.baseUrl}/v1/infer`, { method: "POST", body: JSON.stringify(fast) });
    expect(rest.status).toBe(503);
    expect(rest.headers.get("retry-after")).toBe("1");
    expect(await rest.json()).toMatchObject({ code: "unavailable", request_id: "" });

    // gRPC, gRPC-Web and Connect: UNAVAILABLE, the pool's ErrorDetail, retry-after in the metadata.
    for (const [name, transport] of Object.entries(rpcTransports(pool.baseUrl))) {
      const error = await createClient(LlmPoolService, transport)
        .infer({ query: fast })
        .then(
          () => undefined,
          (e: unknown) => ConnectError.from(e),
        );
      expect(error?.code, name).toBe(RpcCode.Unavailable);
      expect(error?.findDetails(ErrorDetailSchema)[0]?.code, name).toBe("unavailable");
      expect(error?.metadata.get("retry-after"), name).toBe("1");
    }
    // Server streaming too: the refusal comes before the first message (Connect: an end-of-stream message).
    for (const [name, transport] of Object.entries(rpcTransports(pool.baseUrl))) {
      const error = await (async () => {
        for await (const event of createClient(LlmPoolService, transport).inferStream({ query: fast })) void event;
      })().then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
      expect(error?.code, name).toBe(RpcCode.Unavailable);
      expect(error?.findDetails(ErrorDetailSchema)[0]?.code, name).toBe("unavailable");
    }
    expect(pool.service.calls).toHaveLength(3);
    expect(refused.filter((r) => r === "in_flight")).toHaveLength(1 + 2 * Object.keys(rpcTransports(pool.baseUrl)).length);

    open();
    await attacker.until((c) => c.answered().size === 3);
    const after = await fetch(`${pool.baseUrl}/v1/infer`, { method: "POST", body: JSON.stringify(fast) });
    expect(after.status).toBe(200);
  });
});

describe("R-API-2: rapid reset", () => {
  let pool: RunningPool | undefined;
  afterEach(async () => {
    await pool?.server.close(100);
    pool = undefined;
  });

  it("a connection that resets its streams in a loop gets GOAWAY(ENHANCE_YOUR_CALM) and is closed", async () => {
    const { refused, observer } = recordingObserver();
    pool = await startPool({}, { transportObserver: observer });
    const attacker = await RawH2Client.connect(pool.port);
    const request = { ":method": "GET", ":path": "/healthz", ":scheme": "http", ":authority": "pool" };
    let pairs = 0;
    for (let id = 1; pairs < 5_000; id += 2, pairs++) {
      if (!attacker.write(Buffer.concat([attacker.headersFrame(id, request, true), attacker.rstStreamFrame(id, NGHTTP2_CANCEL)]))) break;
      if (pairs % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await attacker.closed;
    expect(attacker.goawayCode()).toBe(NGHTTP2_ENHANCE_YOUR_CALM);
    expect(pairs).toBeLessThan(5_000);
    expect(refused).toEqual(["stream_resets"]);

    expect((await fetch(`${pool.baseUrl}/healthz`)).status).toBe(200);
  });

  it("a client that cancels a few calls keeps its connection", async () => {
    pool = await startPool();
    const session = http2.connect(pool.baseUrl);
    try {
      for (let i = 0; i < 20; i++) {
        const stream = session.request({ ":path": "/healthz" });
        stream.on("error", () => {});
        stream.close(NGHTTP2_CANCEL);
      }
      const status = await new Promise((resolve, reject) => {
        const req = session.request({ ":path": "/healthz" });
        req.on("response", (headers) => resolve(headers[":status"]));
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(200);
      expect(session.destroyed).toBe(false);
    } finally {
      session.close();
    }
  });
});

describe("R-API-2: header field count, the same answer on both protocols", () => {
  let pool: RunningPool | undefined;
  afterEach(async () => {
    await pool?.server.close(100);
    pool = undefined;
  });

  const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-f${i}`, "v"]));

  function h2Status(baseUrl: string, headers: http2.OutgoingHttpHeaders): Promise<unknown> {
    const session = http2.connect(baseUrl);
    return new Promise((resolve, reject) => {
      const req = session.request({ ":path": "/healthz", ...headers });
      req.on("response", (h) => resolve(h[":status"]));
      req.on("error", reject);
      req.end();
    }).finally(() => session.close());
  }

  function h1Status(baseUrl: string, headers: http.OutgoingHttpHeaders): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${baseUrl}/healthz`, { headers }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("more header fields than allowed are 431 over HTTP/2 and HTTP/1.1; fewer are served", async () => {
    pool = await startPool({ maxHeaderPairs: 64 });
    expect(await h2Status(pool.baseUrl, fields(40))).toBe(200);
    expect(await h1Status(pool.baseUrl, fields(40))).toBe(200);
    expect(await h2Status(pool.baseUrl, fields(100))).toBe(431);
    expect(await h1Status(pool.baseUrl, fields(100))).toBe(431);
  });

  it("the default allows 128 fields: a request with 140 is 431 on HTTP/2, not a stream reset", async () => {
    pool = await startPool();
    expect(await h2Status(pool.baseUrl, fields(140))).toBe(431);
  });
});
