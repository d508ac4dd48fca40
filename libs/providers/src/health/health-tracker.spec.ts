import { FakeClock } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_HEALTH_POLICY } from "./health-policy.js";
import { HealthTracker } from "./health-tracker.js";

const policy = { ...DEFAULT_HEALTH_POLICY, unhealthyAfter: 3, recoverAfter: 2, intervalMs: 15_000, backoffBaseMs: 1_000, backoffMaxMs: 60_000, stableMs: 300_000 };
const tracker = (clock = new FakeClock()) => new HealthTracker({ name: "p", driver: "ollama", model: "phi3:mini" }, clock, policy);

describe("R-PRV-5 health states", () => {
  it("unknown -> healthy on success; degraded after one failure; unhealthy after three in a row", () => {
    const t = tracker();
    expect(t.record()).toMatchObject({ state: "unknown", lastError: "", updatedAt: 0 });
    t.recordSuccess();
    expect(t.state).toBe("healthy");
    t.recordFailure("p: the engine answered HTTP 500");
    expect(t.record()).toMatchObject({ state: "degraded", lastError: "p: the engine answered HTTP 500" });
    t.recordFailure("x");
    expect(t.state).toBe("degraded");
    t.recordFailure("x");
    expect(t.state).toBe("unhealthy");
  });

  it("a degraded provider is healthy again after one success; an unhealthy one needs two in a row", () => {
    const t = tracker();
    t.recordFailure("x");
    t.recordSuccess();
    expect(t.record()).toMatchObject({ state: "healthy", lastError: "" });
    for (let i = 0; i < 3; i++) t.recordFailure("x");
    t.recordSuccess();
    expect(t.state).toBe("degraded");
    t.recordFailure("x");
    t.recordSuccess();
    expect(t.state).toBe("degraded");
    t.recordSuccess();
    expect(t.state).toBe("healthy");
  });

  it("updatedAt is the clock time of the last state change and listeners hear each change once", async () => {
    const clock = new FakeClock();
    const t = tracker(clock);
    const seen: string[] = [];
    t.onChange((state) => seen.push(state));
    t.recordSuccess();
    const at = clock.now();
    await clock.advance(500);
    t.recordSuccess();
    expect(t.record().updatedAt).toBe(at);
    t.recordFailure("x");
    expect(t.record().updatedAt).toBe(at + 500);
    expect(seen).toEqual(["healthy", "degraded"]);
  });
});

describe("R-PRV-5 probe timing: interval while healthy, capped exponential backoff while failing", () => {
  it("each further failure doubles the delay up to the cap", () => {
    const t = tracker();
    expect(t.nextProbeDelayMs()).toBe(15_000);
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      t.recordFailure("x");
      delays.push(t.nextProbeDelayMs());
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it("a flapping provider starts each new failure streak from a longer backoff", () => {
    const t = tracker();
    const episode = () => {
      const delays: number[] = [];
      for (let i = 0; i < 3; i++) {
        t.recordFailure("x");
        delays.push(t.nextProbeDelayMs());
      }
      t.recordSuccess();
      delays.push(t.nextProbeDelayMs());
      t.recordSuccess();
      return delays;
    };
    expect(episode()).toEqual([1_000, 2_000, 4_000, 2_000]);
    expect(episode()).toEqual([2_000, 4_000, 8_000, 4_000]);
    expect(episode()).toEqual([4_000, 8_000, 16_000, 8_000]);
  });

  it("staying healthy for stableMs forgives earlier flapping", async () => {
    const clock = new FakeClock();
    const t = tracker(clock);
    for (let i = 0; i < 3; i++) t.recordFailure("x");
    t.recordSuccess();
    t.recordSuccess();
    await clock.advance(300_000);
    t.recordFailure("x");
    expect(t.nextProbeDelayMs()).toBe(1_000);
  });
});
