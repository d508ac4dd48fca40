import { FakeClock, systemClock } from "@llm-pool/core";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authReasonOf } from "../auth-failure.js";
import { HmacVerifier } from "../hmac/hmac-verifier.js";
import { buildKeyRing } from "../hmac/key-ring.js";
import { signRequest } from "../hmac/sign-request.js";
import { createSecurityRedis, redisReady } from "../redis-client.js";
import { headerListFromRecord } from "../request-headers.js";
import { SECRET_A, specEnv, tenancyConfig } from "../spec-helpers.js";
import { RedisNonceStore } from "./redis.js";

describe("RedisNonceStore on a real Redis (R-SEC-2)", () => {
  let server: RedisProcess;
  let first: Redis;
  let second: Redis;

  beforeAll(async () => {
    server = await startRedis();
    first = createSecurityRedis(server.url);
    second = createSecurityRedis(server.url);
    await Promise.all([redisReady(first), redisReady(second)]);
  });
  afterAll(async () => {
    first.disconnect();
    second.disconnect();
    await server.stop();
  });

  it("R-SEC-2: claims a nonce once; a second claim is a replay", async () => {
    const store = new RedisNonceStore({ redis: first });
    const expires = Date.now() + 60_000;
    expect(await store.claim("k", "nonce-once-aaaaaaaaaaaa", expires)).toBe(true);
    expect(await store.claim("k", "nonce-once-aaaaaaaaaaaa", expires)).toBe(false);
    expect(await store.claim("other-key", "nonce-once-aaaaaaaaaaaa", expires)).toBe(true);
  });

  it("R-SEC-2: the nonce expires at the end of its timestamp's window (PXAT)", async () => {
    const store = new RedisNonceStore({ redis: first });
    const expires = Date.now() + 5_000;
    await store.claim("k", "nonce-expiry-aaaaaaaaaa", expires);
    const pexpireAt = await first.pexpiretime("llmpool:nonce:k:nonce-expiry-aaaaaaaaaa");
    expect(pexpireAt).toBe(expires);
  });

  it("R-SEC-2: of 1000 concurrent copies of one signed request on two replicas sharing Redis, exactly one is accepted", async () => {
    const tenancy = tenancyConfig();
    const ring = buildKeyRing(tenancy, specEnv);
    const clock = new FakeClock(systemClock.now());
    const replica = (redis: Redis) =>
      new HmacVerifier({ keys: () => ring, clockSkewS: () => 300, nonces: new RedisNonceStore({ redis }), clock });
    const replicas = [replica(first), replica(second)];
    const body = Buffer.from('{"task":"TASK_JUDGE","prompt":"x"}');
    const parts = { keyId: "vvtv-a", method: "POST", path: "/v1/infer", query: "", contentType: "application/json", body, now: clock.now() };
    const headers = headerListFromRecord({ "content-type": "application/json", ...signRequest(SECRET_A, parts) });
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, (_, i) => replicas[i % 2]!.verify({ method: "POST", path: "/v1/infer", query: "", headers, body })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const reasons = results.flatMap((r) => (r.status === "rejected" ? [authReasonOf(r.reason)] : []));
    expect(new Set(reasons)).toEqual(new Set(["replayed_nonce"]));
  });
});
