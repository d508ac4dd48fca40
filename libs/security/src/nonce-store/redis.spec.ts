import { FakeClock, systemClock } from "@llm-pool/core";
import { createFailFastRedis, redisReady } from "@llm-pool/redis";
import { SECRET_A, specEnv, tenancyConfig } from "@llm-pool/security/test-support";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authReasonOf } from "../auth-failure.js";
import { HmacVerifier } from "../hmac/hmac-verifier.js";
import { buildKeyRing } from "../hmac/key-ring.js";
import { signRequest } from "../hmac/sign-request.js";
import { headerListFromRecord } from "../request-headers.js";
import { RedisNonceStore } from "./redis.js";

const NOW_MS = 1_800_000_000_250;
/** A window for a request signed `agoS` seconds before `clock` (whole seconds, as X-Timestamp). */
const signed = (clock: FakeClock, agoS = 0) => {
  const signedAtMs = (Math.floor(clock.now() / 1000) - agoS) * 1000;
  return { signedAtMs, expiresAtMs: signedAtMs + 301_000 };
};

describe("RedisNonceStore on a real Redis (R-SEC-2)", () => {
  let server: RedisProcess;
  let first: Redis;
  let second: Redis;
  let clock: FakeClock;

  beforeAll(async () => {
    server = await startRedis();
    // Correctness, not the outage bound, is tested here: a loaded machine must not time commands out.
    first = createFailFastRedis(server.url, { commandTimeoutMs: 5_000 });
    second = createFailFastRedis(server.url, { commandTimeoutMs: 5_000 });
    await Promise.all([redisReady(first), redisReady(second)]);
  });
  afterAll(async () => {
    first.disconnect();
    second.disconnect();
    await server.stop();
  });
  beforeEach(async () => {
    await first.flushall();
    clock = new FakeClock(NOW_MS);
  });

  it("R-SEC-2: claims a nonce once; a second claim is a replay; nonces are scoped by key id", async () => {
    const store = new RedisNonceStore({ redis: first, clock });
    expect(await store.claim("k", "nonce-once-aaaaaaaaaaaa", signed(clock))).toBe("claimed");
    expect(await store.claim("k", "nonce-once-aaaaaaaaaaaa", signed(clock))).toBe("replayed");
    expect(await store.claim("other-key", "nonce-once-aaaaaaaaaaaa", signed(clock))).toBe("claimed");
  });

  it("R-SEC-2: the nonce expires at the end of its timestamp's window (PXAT)", async () => {
    const store = new RedisNonceStore({ redis: first, clock });
    const window = signed(clock);
    await store.claim("k", "nonce-expiry-aaaaaaaaaa", window);
    expect(await first.pexpiretime("llmpool:nonce:k:nonce-expiry-aaaaaaaaaa")).toBe(window.expiresAtMs);
  });

  it("R-SEC-2: the first use of an empty Redis writes the store epoch; a request signed before it is refused, one signed in its second passes", async () => {
    const store = new RedisNonceStore({ redis: first, clock });
    expect(await store.claim("k", "nonce-epoch-1-aaaaaaaaa", signed(clock))).toBe("claimed");
    expect(Number(await first.get("llmpool:nonce-epoch"))).toBe(NOW_MS);
    expect(await store.claim("k", "nonce-epoch-2-aaaaaaaaa", signed(clock, 1))).toBe("before_epoch");
    await clock.advance(2_000);
    // The epoch stays where the first use put it: requests signed since then pass.
    expect(await store.claim("k", "nonce-epoch-3-aaaaaaaaa", signed(clock, 2))).toBe("claimed");
  });

  it("R-SEC-2: a replica connecting to an empty Redis writes the epoch at once, so a request signed after it connected passes its first claim", async () => {
    const client = createFailFastRedis(server.url, { commandTimeoutMs: 2_000 });
    try {
      const store = new RedisNonceStore({ redis: client, clock });
      await redisReady(client);
      await clock.advance(2_000);
      for (let i = 0; i < 50 && (await first.get("llmpool:nonce-epoch")) === null; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await store.claim("k", "nonce-after-connect-aaaa", signed(clock, 1))).toBe("claimed");
    } finally {
      client.disconnect();
    }
  });

  it("R-SEC-2: a wiped Redis starts a new epoch, so a request accepted before the wipe is refused, not accepted again", async () => {
    const store = new RedisNonceStore({ redis: first, clock });
    const before = signed(clock);
    expect(await store.claim("k", "nonce-wiped-aaaaaaaaaaa", before)).toBe("claimed");
    await first.flushall();
    await clock.advance(2_000);
    expect(await store.claim("k", "nonce-wiped-aaaaaaaaaaa", before)).toBe("before_epoch");
    expect(await store.claim("k", "nonce-fresh-aaaaaaaaaaa", signed(clock))).toBe("claimed");
  });

  it("restore() writes nonces recorded elsewhere back, so every replica refuses them; expired ones are skipped", async () => {
    const store = new RedisNonceStore({ redis: first, clock });
    const window = signed(clock);
    await store.claim("k", "nonce-starts-epoch-aaaa", window);
    await store.restore([
      { scope: "k", nonce: "nonce-restored-aaaaaaaa", expiresAtMs: window.expiresAtMs },
      { scope: "k", nonce: "nonce-expired-aaaaaaaaa", expiresAtMs: clock.now() - 1 },
    ]);
    const replica = new RedisNonceStore({ redis: second, clock });
    expect(await replica.claim("k", "nonce-restored-aaaaaaaa", window)).toBe("replayed");
    expect(await replica.claim("k", "nonce-expired-aaaaaaaaa", window)).toBe("claimed");
  });

  it("R-SEC-2: of 1000 concurrent copies of one signed request on two replicas sharing Redis, exactly one is accepted", async () => {
    const tenancy = tenancyConfig();
    const ring = buildKeyRing(tenancy, specEnv);
    const now = new FakeClock(systemClock.now());
    const replica = (redis: Redis) =>
      new HmacVerifier({ keys: () => ring, clockSkewS: () => 300, nonces: new RedisNonceStore({ redis, clock: now }), clock: now });
    const replicas = [replica(first), replica(second)];
    const body = Buffer.from('{"task":"TASK_JUDGE","prompt":"x"}');
    const parts = { keyId: "vvtv-a", method: "POST", path: "/v1/infer", query: "", contentType: "application/json", body, now: now.now() };
    const headers = headerListFromRecord({ "content-type": "application/json", ...signRequest(SECRET_A, parts) });
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, (_, i) => replicas[i % 2]!.verify({ method: "POST", path: "/v1/infer", query: "", headers, body })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const reasons = results.flatMap((r) => (r.status === "rejected" ? [authReasonOf(r.reason)] : []));
    expect(new Set(reasons)).toEqual(new Set(["replayed_nonce"]));
  });
});
