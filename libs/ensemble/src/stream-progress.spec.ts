import { FakeClock, type StreamProgress } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { createEnsemble } from "./registry.js";
import { planFor, providers } from "@llm-pool/ensemble/test-support";

/** A plan's stream that keeps what the strategy reports. */
function recorder() {
  const progress: StreamProgress[] = [];
  const text: string[] = [];
  return { progress, text, stream: { progress: (p: StreamProgress) => progress.push(p), text: (_: string, t: string) => text.push(t) } };
}

describe("R-API-6 a collecting strategy tells a streaming client how far it has got", () => {
  it("VOTING: one progress event as each candidate ends, in the order they end; no text before it decided", async () => {
    const clock = new FakeClock();
    const [a, b, c] = providers("a", "b", "c");
    const seen = recorder();
    const run = createEnsemble().run({ ...planFor(clock, "VOTING", [a!, b!, c!]), stream: seen.stream });
    await clock.advance(0);
    b!.answer("slow burn ambient lounge");
    await clock.advance(10);
    a!.fail();
    await clock.advance(10);
    c!.answer("Slow burn, ambient lounge");
    const outcome = await run;
    expect(seen.progress).toEqual([
      { stage: "candidate", provider: "b", status: "ok", latencyMs: 0 },
      { stage: "candidate", provider: "a", status: "error", latencyMs: 10 },
      { stage: "candidate", provider: "c", status: "ok", latencyMs: 20 },
    ]);
    expect(seen.text).toEqual([]);
    expect(outcome.output).toBe("slow burn ambient lounge");
  });
});
