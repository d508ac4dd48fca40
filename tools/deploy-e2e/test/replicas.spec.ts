// Several replicas for real: two pool processes sharing one redis-server, behind the shipped gateway.
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closedLoop,
  grpcClient,
  httpsRequest,
  inferBody,
  inferRequest,
  signedRestHeaders,
  startDeployment,
  type Deployment,
  type HttpsResponse,
  type PoolProcess,
  type TenantKey,
} from "../src/index.js";

describe("two replicas on one Redis behind the gateway (R-DEP-2, R-SEC-2, R-CACHE-2)", () => {
  let d: Deployment;
  const mesh = () => ({
    ca: d.certs.pem(d.certs.meshCa),
    cert: d.certs.pem(d.certs.gatewayClient.cert),
    key: d.certs.pem(d.certs.gatewayClient.key),
  });
  /** Straight to one replica, with the gateway's client certificate (as the gateway would). */
  const toReplica = (pool: PoolProcess, request: { headers: Record<string, string>; body: string }) =>
    httpsRequest(`https://${pool.address}/v1/infer`, mesh(), request);
  const signed = (key: TenantKey, prompt: string, extra: Record<string, unknown> = {}) => {
    const body = inferBody(prompt, extra);
    return { body, headers: signedRestHeaders(key, body) };
  };
  const metric = async (pool: PoolProcess, line: RegExp): Promise<number> => {
    const text = (await httpsRequest(`https://${pool.address}/metrics`, mesh())).text;
    const found = text.split("\n").find((l) => line.test(l));
    return found ? Number(found.split(" ").at(-1)) : 0;
  };

  beforeAll(async () => {
    // The per-address limit of the gateway is tested on its own (gateway-forwarding.spec.ts); here it must not interfere.
    d = await startDeployment({ replicas: 2, engineLatencyMs: 60, pool: { shutdownGraceMs: 10_000 }, gateway: { rate: "10000r/s" } });
  });
  afterAll(() => d?.close());

  it("R-SEC-2: a nonce used on one replica is refused on the other", async () => {
    const [a, b] = d.pools as [PoolProcess, PoolProcess];
    const request = signed(d.key, "one nonce, two replicas");
    expect((await toReplica(a, request)).status).toBe(200);
    const replay = await toReplica(b, request);
    expect(replay.status).toBe(401);
    expect(replay.json()).toMatchObject({ code: "unauthenticated" });
  });

  it("R-SEC-3: the tenant's rate limit is shared exactly: burst 10 across both replicas, the 11th is 429", async () => {
    const [a, b] = d.pools as [PoolProcess, PoolProcess];
    const statuses: Record<string, number[]> = { a: [], b: [] };
    for (let i = 0; i < 16; i++) {
      const [name, pool] = i % 2 === 0 ? (["a", a] as const) : (["b", b] as const);
      statuses[name]!.push((await toReplica(pool, signed(d.meteredKey, `metered ${i}`))).status);
    }
    const all = [...statuses.a!, ...statuses.b!];
    expect(all.filter((s) => s === 200)).toHaveLength(10);
    expect(all.filter((s) => s === 429)).toHaveLength(6);
    expect(statuses.a!.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.b!.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  });

  it("R-CACHE-2: a retry with the same request_id that lands on the other replica replays the first answer", async () => {
    const [a, b] = d.pools as [PoolProcess, PoolProcess];
    const replayedBefore = await metric(b, /^llmpool_idempotency_total\{outcome="replayed"\}/);
    const calls = d.engine.record().length;
    const first = await toReplica(a, signed(d.key, "idempotent order", { requestId: "order-42" }));
    expect(first.status).toBe(200);
    const retry = await toReplica(b, signed(d.key, "idempotent order", { requestId: "order-42" }));
    expect(retry.status).toBe(200);
    expect(retry.text).toBe(first.text);
    expect(d.engine.record().length).toBe(calls + 1);
    expect(await metric(b, /^llmpool_idempotency_total\{outcome="replayed"\}/)).toBe(replayedBefore + 1);
  });

  it("R-DEP-2: through the gateway, a replayed request is refused whichever replica it reaches", async () => {
    const request = signed(d.key, "replay through the gateway");
    const ca = d.certs.pem(d.certs.edgeCa);
    expect((await httpsRequest(`${d.gateway.url}/v1/infer`, { ca }, request)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await httpsRequest(`${d.gateway.url}/v1/infer`, { ca }, request)).status).toBe(401);
  });

  it("R-DEP-2: SIGTERM on one replica under REST and gRPC load through the gateway loses no request", async () => {
    const [a, b] = d.pools as [PoolProcess, PoolProcess];
    const ca = d.certs.pem(d.certs.edgeCa);
    const client = grpcClient(d.gateway.url, ca, d.key);
    const servedBy = () => d.gateway.accessLog().map((l) => /upstream=(\S+)/.exec(l)?.[1] ?? "");
    const logBefore = servedBy().length;
    let terminated: Promise<number | null> | undefined;
    const trigger = (done: number) => {
      if (done === 40 && !terminated) terminated = a.stop("SIGTERM");
    };
    const rest = closedLoop(
      150,
      4,
      async (i) => {
        const res: HttpsResponse = await httpsRequest(`${d.gateway.url}/v1/infer`, { ca }, signed(d.key, `load rest ${i}`));
        return String(res.status);
      },
      trigger,
    );
    const grpc = closedLoop(100, 2, async (i) => {
      try {
        await client.infer(inferRequest(`load grpc ${i}`));
        return "OK";
      } catch (error) {
        return Code[ConnectError.from(error).code];
      }
    });
    const [restOutcomes, grpcOutcomes] = await Promise.all([rest, grpc]);
    expect(terminated).toBeDefined();
    expect(await terminated).toBe(0);
    const tally = (outcomes: { outcome: string }[]) =>
      outcomes.reduce<Record<string, number>>((t, o) => ({ ...t, [o.outcome]: (t[o.outcome] ?? 0) + 1 }), {});
    expect(tally(restOutcomes)).toEqual({ "200": 150 });
    expect(tally(grpcOutcomes)).toEqual({ OK: 100 });
    // Both replicas served before the SIGTERM; only the survivor after it.
    const upstreams = servedBy().slice(logBefore);
    expect(new Set(upstreams.slice(0, 20).flatMap((u) => u.split(", ")))).toEqual(new Set([a.address, b.address]));
    expect(upstreams.slice(-10).every((u) => u.endsWith(b.address))).toBe(true);
  });
});
