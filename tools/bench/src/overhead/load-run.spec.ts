// The load generator's arithmetic on synthetic servers and a hand-driven clock: no sockets, no timing.
import { describe, expect, it } from "vitest";
import { closedLoop, fixedRate, throughput, type LoadClock, type LoadConnection } from "./load-run.js";

/** A clock that moves only when the spec says so, running due callbacks in time order. */
class HandClock implements LoadClock {
  #now = 0;
  #timers: { at: number; seq: number; fn: () => void }[] = [];
  #seq = 0;

  now(): number {
    return this.#now;
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.#now + ms, seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => (this.#timers = this.#timers.filter((t) => t !== timer));
  }

  /** Runs every callback due until nothing is left (or `limit` ms have passed). */
  runAll(limit = 1e9): void {
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers.shift();
      if (!next || next.at > limit) return;
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
  }
}

/**
 * A server of one worker per connection: request n (in arrival order, over all connections) takes
 * `serviceMs(n)` once it is written and is answered with `status(n)` (0: the exchange failed).
 */
function syntheticServer(clock: HandClock, connections: number, serviceMs: (n: number) => number, status: number | ((n: number) => number) = 200) {
  let n = 0;
  const sent: number[] = [];
  const list: LoadConnection[] = Array.from({ length: connections }, () => ({
    send(done) {
      sent.push(clock.now());
      const k = n++;
      clock.after(serviceMs(k), () => done(typeof status === "number" ? status : status(k)));
    },
  }));
  return { connections: list, sent };
}

async function run<T>(clock: HandClock, start: () => Promise<T>): Promise<T> {
  const result = start();
  clock.runAll();
  return result;
}

describe("fixedRate: an open loop with coordinated-omission correction", () => {
  it("reports the server's own delay when the server keeps up, and sends on schedule", async () => {
    const clock = new HandClock();
    // 100 req/s of 50 ms each keeps 5 requests in flight: 8 connections are enough.
    const server = syntheticServer(clock, 8, () => 50);
    const result = await run(clock, () => fixedRate(server.connections, { rate: 100, durationMs: 1000 }, clock));
    expect(result.completed).toBe(100);
    expect([result.latency.percentile(0), result.latency.percentile(1)]).toEqual([50, 50]);
    expect(server.sent.slice(0, 4)).toEqual([0, 10, 20, 30]);
    expect(result.unfinished).toBe(0);
    expect(result.elapsedMs).toBe(990 + 50);
    expect([result.errors, result.errorsByStatus]).toEqual([0, {}]);
  });

  it("counts a one-second stall against every request due during it, not only the one in flight", async () => {
    // 100 req/s on one connection, 1 ms answers, except request 200 (due at 2000 ms) which takes 1000 ms.
    const clock = new HandClock();
    const server = syntheticServer(clock, 1, (n) => (n === 200 ? 1000 : 1));
    const result = await run(clock, () => fixedRate(server.connections, { rate: 100, durationMs: 10_000 }, clock));
    expect(result.completed).toBe(1000);
    // Uncorrected: one slow request in 1000, so its p99 says 1 ms.
    expect(result.serviceTime.percentile(0.99)).toBe(1);
    expect(result.serviceTime.percentile(1)).toBe(1000);
    // Corrected: request 200 + k (due at 2000 + 10k) is written at 3000 + (k - 1) as the backlog drains and
    // answered at 3000 + k, so it took 1000 - 9k ms (k = 0 ... 111); the other 888 took 1 ms. The p99 (the
    // 990th of 1000) is the 11th largest: 1000 - 9 * 10.
    expect(result.latency.percentile(1)).toBe(1000);
    expect(result.latency.percentile(0.99)).toBe(910);
    expect(result.latency.percentile(0.889)).toBe(1);
    expect(result.latency.percentile(0.9)).toBe(1000 - 9 * 100);
    expect(server.sent[201]).toBe(3000);
  });

  it("charges requests a saturated server never answered at the age they reached, and counts them as unfinished", async () => {
    // One connection, 20 ms answers, asked for 100 req/s: it can do 50.
    const clock = new HandClock();
    const server = syntheticServer(clock, 1, () => 20);
    const result = await run(clock, () => fixedRate(server.connections, { rate: 100, durationMs: 1000, drainMs: 5 }, clock));
    // Answered at 20, 40 ... 1000: the requests due at 0 ... 490; at 1005 the one due at 500 is in flight
    // and those due at 510 ... 990 wait.
    expect(result.completed).toBe(50);
    expect(result.unfinished).toBe(50);
    // Every request, answered or not, is in the distribution.
    expect(result.latency.count).toBe(100);
    expect(result.latency.percentile(1)).toBe(1000 - 490);
    expect(throughput(result)).toBe(50);
  });

  it("counts statuses other than 2xx and failed exchanges as errors", async () => {
    const clock = new HandClock();
    const server = syntheticServer(clock, 2, () => 5, 503);
    const result = await run(clock, () => fixedRate(server.connections, { rate: 10, durationMs: 1000 }, clock));
    expect([result.completed, result.errors]).toEqual([10, 10]);
    expect(result.errorsByStatus).toEqual({ "503": 10 });
  });

  it("breaks the errors down by status, failed exchanges apart, so refusals read apart from broken connections", async () => {
    // Of every 5 requests: two refused (429), one unavailable (503), one failed exchange (0), one answered.
    const clock = new HandClock();
    const statuses = [429, 429, 503, 0, 200];
    const server = syntheticServer(clock, 2, () => 5, (n) => statuses[n % 5]!);
    const result = await run(clock, () => fixedRate(server.connections, { rate: 10, durationMs: 1000 }, clock));
    expect([result.completed, result.errors]).toEqual([10, 8]);
    expect(result.errorsByStatus).toEqual({ "429": 4, "503": 2, failed: 2 });
  });
});

describe("closedLoop: N connections back to back", () => {
  it("serves connections / service time requests per second and reports the service time", async () => {
    const clock = new HandClock();
    const server = syntheticServer(clock, 5, () => 10);
    const result = await run(clock, () => closedLoop(server.connections, 1000, clock));
    expect(result.completed).toBe(500);
    expect(throughput(result)).toBe(500);
    expect(result.latency.percentile(0.5)).toBe(10);
  });

  it("breaks the errors down by status, failed exchanges apart", async () => {
    // 2 connections of 10 ms answers for 100 ms: 20 requests; every 4th refused (429), the 10th failed.
    const clock = new HandClock();
    const server = syntheticServer(clock, 2, () => 10, (n) => (n === 9 ? 0 : n % 4 === 0 ? 429 : 200));
    const result = await run(clock, () => closedLoop(server.connections, 100, clock));
    expect([result.completed, result.errors]).toEqual([20, 6]);
    expect(result.errorsByStatus).toEqual({ "429": 5, failed: 1 });
  });
});
