import { planFor, providers } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { FakeClock } from "@llm-pool/core";
import { createEnsemble } from "./registry.js";
import { MemoryWinRateStore } from "./win-rate/memory.js";

const schema = { type: "object", required: ["terms"], properties: { terms: { type: "array", maxItems: 2 } } };

describe("the ensemble registry", () => {
  it("checks FASTEST's answers against the task's schema too (R-ENS-6)", async () => {
    const clock = new FakeClock();
    const [a, b] = providers("a", "b");
    const run = createEnsemble().run(planFor(clock, "FASTEST", [a!, b!], { output: { kind: "json_schema", schema } }));
    a!.answer('{"terms":["x","y","z"]}');
    await clock.advance(0);
    expect(b!.started).toBe(1);
    b!.answer('{"terms":["x"]}');
    const outcome = await run;
    expect(outcome.strategyApplied).toBe("FASTEST");
    expect(outcome.candidates.map((c) => [c.status, c.error ?? ""])).toEqual([
      ["invalid", "output does not match the task's schema: /terms must NOT have more than 2 items"],
      ["ok", ""],
    ]);
  });

  it("R-ENS-3: feeds no FASTEST decision to the win-rate store: the first answer beat nobody on content", async () => {
    const clock = new FakeClock();
    const winRates = new MemoryWinRateStore({ clock });
    const [a, b] = providers("a", "b");
    const run = createEnsemble({ winRates }).run(planFor(clock, "FASTEST", [a!, b!]));
    await clock.advance(300);
    a!.answer("first");
    b!.answer("second");
    await run;
    expect([winRates.rate("rerank_candidates", "a"), winRates.rate("rerank_candidates", "b")]).toEqual([0.5, 0.5]);
  });
});
