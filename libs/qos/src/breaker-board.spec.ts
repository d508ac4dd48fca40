import type { BreakerConfig } from "@llm-pool/config";
import { FakeClock, type CallEnd } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { BreakerBoard, settleTicket, type BreakerStateChange } from "./breaker-board.js";

const SETTINGS: BreakerConfig = { window_size: 50, failure_rate: 0.1, min_calls: 10, open_ms: 300_000, max_open_ms: 300_000, half_open_probes: 1, slow_factor: 2 };

function board(settings: Partial<BreakerConfig> = {}) {
  const clock = new FakeClock();
  return { clock, board: new BreakerBoard({ ...SETTINGS, ...settings }, clock) };
}

/** Makes calls through the board and settles each with the given ends. */
function calls(b: BreakerBoard, ends: CallEnd[], provider = "phi3", task = "expand_queries"): void {
  for (const end of ends) {
    const ticket = b.permit(provider, task);
    if (!ticket) throw new Error(`breaker of ${provider}/${task} is not closed`);
    settleTicket(ticket, end);
  }
}

const ok = (n: number): CallEnd[] => Array<CallEnd>(n).fill("ok");
const failed = (n: number, end: CallEnd = "engine_fault"): CallEnd[] => Array<CallEnd>(n).fill(end);

async function openBreaker(b: BreakerBoard): Promise<void> {
  calls(b, [...ok(50), ...failed(6)]);
  expect(b.state("phi3", "expand_queries")).toBe("open");
}

describe("BreakerBoard (R-QOS-1)", () => {
  it("R-QOS-1: opens at 6 failures in a window of 50 and not at 5", () => {
    const { board: b } = board();
    calls(b, ok(50));
    calls(b, failed(5));
    // 45 successes and 5 failures: exactly 10%, not above it.
    expect(b.state("phi3", "expand_queries")).toBe("closed");
    expect(b.snapshot()[0]).toMatchObject({ calls: 50, failures: 5 });
    calls(b, failed(1));
    expect(b.state("phi3", "expand_queries")).toBe("open");
    expect(b.permit("phi3", "expand_queries")).toBeUndefined();
  });

  it("R-QOS-1: counts only the last 50 calls (old failures slide out of the window)", () => {
    const { board: b } = board();
    calls(b, [...ok(50), ...failed(5), ...ok(50), ...failed(5)]);
    // The first five failures slid out: the window holds 5 failures in 50 calls, not 10 in 60.
    expect(b.state("phi3", "expand_queries")).toBe("closed");
  });

  it("R-QOS-1: does not judge before min_calls calls, then opens on a rate above 10%", () => {
    const { board: b } = board();
    calls(b, failed(9));
    expect(b.state("phi3", "expand_queries")).toBe("closed");
    calls(b, failed(1));
    expect(b.state("phi3", "expand_queries")).toBe("open");
  });

  it("R-QOS-1: stays open for open_ms then half-opens with half_open_probes probes", async () => {
    const { board: b, clock } = board();
    await openBreaker(b);
    await clock.advance(299_999);
    expect(b.state("phi3", "expand_queries")).toBe("open");
    expect(b.permit("phi3", "expand_queries")).toBeUndefined();
    await clock.advance(1);
    expect(b.state("phi3", "expand_queries")).toBe("half_open");
    const probe = b.permit("phi3", "expand_queries");
    expect(probe?.probe).toBe(true);
    // One probe at a time: every other query skips the provider meanwhile.
    expect(b.permit("phi3", "expand_queries")).toBeUndefined();
  });

  it("R-QOS-1: closes after a good probe, with a fresh window", async () => {
    const { board: b, clock } = board();
    await openBreaker(b);
    await clock.advance(300_000);
    b.permit("phi3", "expand_queries")!.success();
    expect(b.state("phi3", "expand_queries")).toBe("closed");
    expect(b.snapshot()[0]).toMatchObject({ calls: 1, failures: 0 });
    calls(b, failed(1));
    expect(b.state("phi3", "expand_queries")).toBe("closed");
  });

  it("R-QOS-1: re-opens after a bad probe, for another open_ms", async () => {
    const { board: b, clock } = board();
    await openBreaker(b);
    await clock.advance(300_000);
    b.permit("phi3", "expand_queries")!.failure();
    expect(b.state("phi3", "expand_queries")).toBe("open");
    await clock.advance(299_999);
    expect(b.state("phi3", "expand_queries")).toBe("open");
    await clock.advance(1);
    expect(b.state("phi3", "expand_queries")).toBe("half_open");
  });

  it("R-QOS-4: engine faults and engine slowness count; a caller that gave up, its own rejected answers and overload do not", () => {
    const { board: b } = board();
    calls(b, ok(50));
    calls(b, [...failed(200, "caller_gave_up"), ...failed(200, "caller_rejected"), ...failed(200, "overload")]);
    expect(b.state("phi3", "expand_queries")).toBe("closed");
    expect(b.snapshot()[0]).toMatchObject({ calls: 50, failures: 0 });
    calls(b, [...failed(3, "engine_slow"), ...failed(2, "engine_fault")]);
    expect(b.state("phi3", "expand_queries")).toBe("closed");
    calls(b, failed(1, "engine_slow"));
    expect(b.state("phi3", "expand_queries")).toBe("open");
  });

  it("R-QOS-4: a half-open probe answered by the engine closes the breaker even when the caller rejects the answer", async () => {
    const { board: b, clock } = board();
    await openBreaker(b);
    await clock.advance(300_000);
    settleTicket(b.permit("phi3", "expand_queries")!, "caller_rejected");
    expect(b.state("phi3", "expand_queries")).toBe("closed");
  });

  it("R-QOS-1: each failed probe doubles the time open, up to max_open_ms; a good probe closes it and resets the interval", async () => {
    const { board: b, clock } = board({ open_ms: 5_000, max_open_ms: 30_000 });
    const start = clock.now();
    await openBreaker(b);
    const halfOpens: number[] = [];
    for (let round = 0; round < 5; round++) {
      const at = b.snapshot()[0]!.halfOpensAt;
      halfOpens.push(at - clock.now());
      await clock.advance(at - clock.now() - 1);
      expect(b.state("phi3", "expand_queries")).toBe("open");
      await clock.advance(1);
      b.permit("phi3", "expand_queries")!.failure();
    }
    expect(halfOpens).toEqual([5_000, 10_000, 20_000, 30_000, 30_000]);
    await clock.advance(30_000);
    b.permit("phi3", "expand_queries")!.success();
    expect(b.state("phi3", "expand_queries")).toBe("closed");
    expect(clock.now() - start).toBe(125_000);
    await openBreaker(b);
    expect(b.snapshot()[0]!.halfOpensAt - clock.now()).toBe(5_000);
  });

  it("a cancelled probe proves nothing: the round's other probes decide, and a round without a verdict re-opens", async () => {
    const { board: b, clock } = board({ half_open_probes: 2 });
    await openBreaker(b);
    await clock.advance(300_000);
    const first = b.permit("phi3", "expand_queries")!;
    first.cancel();
    expect(b.state("phi3", "expand_queries")).toBe("half_open");
    const second = b.permit("phi3", "expand_queries")!;
    expect(b.permit("phi3", "expand_queries")).toBeUndefined();
    second.cancel();
    expect(b.state("phi3", "expand_queries")).toBe("open");

    await clock.advance(300_000);
    b.permit("phi3", "expand_queries")!.cancel();
    b.permit("phi3", "expand_queries")!.success();
    expect(b.state("phi3", "expand_queries")).toBe("closed");
  });

  it("a probe permit that is released (the call was never made) goes to the next caller", async () => {
    const { board: b, clock } = board();
    await openBreaker(b);
    await clock.advance(300_000);
    settleTicket(b.permit("phi3", "expand_queries")!, "overload");
    expect(b.state("phi3", "expand_queries")).toBe("half_open");
    expect(b.permit("phi3", "expand_queries")?.probe).toBe(true);
  });

  it("starts a new probe round when the probes of a round never report for open_ms", async () => {
    const { board: b, clock } = board();
    await openBreaker(b);
    await clock.advance(300_000);
    const lost = b.permit("phi3", "expand_queries")!;
    await clock.advance(299_999);
    expect(b.permit("phi3", "expand_queries")).toBeUndefined();
    await clock.advance(1);
    const fresh = b.permit("phi3", "expand_queries");
    expect(fresh?.probe).toBe(true);
    // The lost probe's late verdict belongs to a finished round.
    lost.failure();
    expect(b.state("phi3", "expand_queries")).toBe("half_open");
    fresh!.success();
    expect(b.state("phi3", "expand_queries")).toBe("closed");
  });

  it("ignores verdicts of calls permitted before the breaker changed state, and a second verdict of a ticket", async () => {
    const { board: b, clock } = board();
    const early = b.permit("phi3", "expand_queries")!;
    await openBreaker(b);
    await clock.advance(300_000);
    early.success();
    expect(b.state("phi3", "expand_queries")).toBe("half_open");

    const { board: other } = board();
    calls(other, ok(50));
    const ticket = other.permit("phi3", "expand_queries")!;
    for (let i = 0; i < 10; i++) ticket.failure();
    expect(other.snapshot()[0]).toMatchObject({ calls: 50, failures: 1 });
  });

  it("keeps one breaker per provider and task", () => {
    const { board: b } = board();
    calls(b, failed(10), "phi3", "expand_queries");
    expect(b.state("phi3", "expand_queries")).toBe("open");
    expect(b.state("phi3", "rerank")).toBe("closed");
    expect(b.state("llama", "expand_queries")).toBe("closed");
    expect(b.permit("phi3", "rerank")).toBeDefined();
  });

  it("tells listeners about every transition, for llmpool_breaker_open_total", async () => {
    const { board: b, clock } = board();
    const changes: BreakerStateChange[] = [];
    b.onStateChange((c) => changes.push(c));
    b.onStateChange(() => {
      throw new Error("a broken metrics hook");
    });
    const start = clock.now();
    await openBreaker(b);
    await clock.advance(300_000);
    b.permit("phi3", "expand_queries")!.success();
    expect(changes).toEqual([
      { provider: "phi3", task: "expand_queries", from: "closed", to: "open", at: start },
      { provider: "phi3", task: "expand_queries", from: "open", to: "half_open", at: start + 300_000 },
      { provider: "phi3", task: "expand_queries", from: "half_open", to: "closed", at: start + 300_000 },
    ]);
  });

  it("stops calling a listener once it unsubscribes", () => {
    const { board: b } = board();
    const seen: string[] = [];
    const off = b.onStateChange((c) => seen.push(c.to));
    off();
    calls(b, failed(10));
    expect(seen).toEqual([]);
  });

  it("keeps every breaker's state across a reload with the same [breaker] settings", async () => {
    const { board: b } = board();
    await openBreaker(b);
    expect(b.reconfigure({ ...SETTINGS })).toBe(false);
    expect(b.state("phi3", "expand_queries")).toBe("open");
  });

  it("starts every breaker afresh when a reload changes the [breaker] settings", async () => {
    const { board: b } = board();
    await openBreaker(b);
    const seen: string[] = [];
    b.onStateChange((c) => seen.push(c.to));
    expect(b.reconfigure({ ...SETTINGS, open_ms: 60_000 })).toBe(true);
    expect(b.state("phi3", "expand_queries")).toBe("closed");
    expect(b.snapshot()).toEqual([]);
    // Listeners stay subscribed across the rebuild.
    calls(b, failed(10));
    expect(seen).toEqual(["open"]);
  });

  it("refuses settings it cannot honour", () => {
    const clock = new FakeClock();
    expect(() => new BreakerBoard({ ...SETTINGS, failure_rate: 1 }, clock)).toThrow(RangeError);
    expect(() => new BreakerBoard({ ...SETTINGS, min_calls: 51 }, clock)).toThrow(RangeError);
    expect(() => new BreakerBoard({ ...SETTINGS, open_ms: 0 }, clock)).toThrow(RangeError);
    expect(() => new BreakerBoard({ ...SETTINGS, half_open_probes: 0 }, clock)).toThrow(RangeError);
    expect(() => new BreakerBoard({ ...SETTINGS, max_open_ms: SETTINGS.open_ms - 1 }, clock)).toThrow(RangeError);
    const b = new BreakerBoard(SETTINGS, clock);
    expect(() => b.reconfigure({ ...SETTINGS, window_size: 0 })).toThrow(RangeError);
    expect(b.permit("phi3", "expand_queries")).toBeDefined();
  });
});
