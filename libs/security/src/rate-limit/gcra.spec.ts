import { FakeClock } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { gcra, gcraParams } from "./gcra.js";
import { MemoryRateLimiter } from "./memory.js";
import { rateLimitHeaders } from "./rate-limit-headers.js";

const policy = { rps: 10, burst: 20 };

async function drain(limiter: MemoryRateLimiter, key: string, n: number, p = policy) {
  const decisions = [];
  for (let i = 0; i < n; i++) decisions.push(await limiter.consume(key, p));
  return decisions;
}

describe("GCRA token bucket (R-SEC-5)", () => {
  it("R-SEC-5: a full bucket lets exactly `burst` requests through at once, then refuses", async () => {
    const limiter = new MemoryRateLimiter({ clock: new FakeClock() });
    const decisions = await drain(limiter, "t/p", 25);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
    expect(decisions.slice(0, 20).map((d) => d.remaining)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(decisions[20]).toMatchObject({ allowed: false, remaining: 0, retryAfterUs: 100_000 });
  });

  it("R-SEC-5: refills at rps: exactly rps·t more requests after t seconds", async () => {
    const clock = new FakeClock();
    const limiter = new MemoryRateLimiter({ clock });
    await drain(limiter, "t/p", 20);
    await clock.advance(1_000);
    expect((await drain(limiter, "t/p", 15)).filter((d) => d.allowed)).toHaveLength(10);
    await clock.advance(350);
    expect((await drain(limiter, "t/p", 5)).filter((d) => d.allowed)).toHaveLength(3);
  });

  it("R-SEC-5: the exact count in a window at a steady arrival rate above the limit", async () => {
    const clock = new FakeClock();
    const limiter = new MemoryRateLimiter({ clock });
    let allowed = 0;
    // 50 requests per second, the last at 9.98 s, against 10 rps + burst 20: the burst plus one
    // token per 100 ms already elapsed (99) pass.
    for (let i = 0; i < 500; i++) {
      if ((await limiter.consume("t/p", policy)).allowed) allowed++;
      await clock.advance(20);
    }
    expect(allowed).toBe(20 + 99);
  });

  it("R-SEC-5: Retry-After is the wait until one token is back, in whole seconds, at least 1", async () => {
    const clock = new FakeClock();
    const limiter = new MemoryRateLimiter({ clock });
    const slow = { rps: 0.1, burst: 1 };
    expect((await limiter.consume("s", slow)).allowed).toBe(true);
    const denied = await limiter.consume("s", slow);
    expect(denied).toMatchObject({ allowed: false, retryAfterUs: 10_000_000 });
    expect(rateLimitHeaders(denied)).toEqual({
      "ratelimit-policy": '"infer";q=1;w=10',
      ratelimit: '"infer";r=0;t=10',
      "retry-after": "10",
    });
    await clock.advance(9_500);
    expect(rateLimitHeaders(await limiter.consume("s", slow))["retry-after"]).toBe("1");
    await clock.advance(500);
    expect((await limiter.consume("s", slow)).allowed).toBe(true);
  });

  it("R-SEC-5: buckets are independent per key", async () => {
    const limiter = new MemoryRateLimiter({ clock: new FakeClock() });
    await drain(limiter, "vvtv/planner", 20);
    expect((await limiter.consume("vvtv/planner", policy)).allowed).toBe(false);
    expect((await limiter.consume("vvtv/curator", policy)).allowed).toBe(true);
  });

  it("R-SEC-5: headers of an allowed request: policy, remaining, seconds to full", async () => {
    const limiter = new MemoryRateLimiter({ clock: new FakeClock() });
    const first = await limiter.consume("t/p", policy);
    expect(rateLimitHeaders(first)).toEqual({ "ratelimit-policy": '"infer";q=20;w=2', ratelimit: '"infer";r=19;t=1' });
  });

  it("R-SEC-5: integer parameters in µs", () => {
    expect(gcraParams({ rps: 3, burst: 5 })).toEqual({ intervalUs: 333_333, burst: 5 });
    expect(gcraParams({ rps: 100_000, burst: 1 })).toEqual({ intervalUs: 10, burst: 1 });
    expect(gcraParams({ rps: 0.01, burst: 1 })).toEqual({ intervalUs: 100_000_000, burst: 1 });
    expect(gcra(undefined, 5, 10, 1)).toMatchObject({ newTatUs: 15, decision: { allowed: true, remaining: 0 } });
  });

  it("R-SEC-5: forgets full buckets as time passes", async () => {
    const clock = new FakeClock();
    const limiter = new MemoryRateLimiter({ clock });
    for (let i = 0; i < 50; i++) await limiter.consume(`k${i}`, policy);
    expect(limiter.size).toBe(50);
    await clock.advance(11_000);
    await limiter.consume("x", policy);
    expect(limiter.size).toBe(1);
  });
});
