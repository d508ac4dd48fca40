import { FakeClock, type EnsembleObserver, type ProviderCallEnd, type ProviderCallStart, type ProviderRequest } from "@llm-pool/core";
import { planFor, providers, ScriptedProvider } from "@llm-pool/ensemble/test-support";
import { describe, expect, it } from "vitest";
import { createEnsemble } from "./registry.js";

/** An observer that writes down every call and decision, in order. */
function recorder() {
  const events: string[] = [];
  const observer: EnsembleObserver = {
    callStarted(call: ProviderCallStart) {
      events.push(`start ${call.role} ${call.provider} ${call.task}`);
      return (end: ProviderCallEnd) => {
        const tokens = end.usage ? ` ${end.usage.promptTokens}+${end.usage.completionTokens}` : "";
        events.push(`end ${call.provider} ${end.status} ${end.model}${tokens}`);
      };
    },
    decided(plan, outcome) {
      events.push(`decided ${plan.strategy} -> ${outcome.strategyApplied} ${outcome.winnerId}`);
    },
  };
  return { events, observer };
}

function idOf(request: ProviderRequest, text: string): string {
  return new RegExp(`\\[answer (\\w+)\\]\\n${text}\\n`).exec(request.prompt)![1]!;
}

describe("the ensemble reports each provider call and decision to its observer (R-OBS-1, R-OBS-3)", () => {
  it("FASTEST: the primary is a candidate, the call started beside it a hedge; each reports how it ended", async () => {
    const clock = new FakeClock();
    const { events, observer } = recorder();
    const [a, b] = providers("a", "b");
    const run = createEnsemble({ observer }).run(planFor(clock, "FASTEST", [a!, b!], { hedgeAfterMs: 300 }));
    await clock.advance(300);
    b!.answer("from b", { promptTokens: 7, completionTokens: 4 });
    await run;
    expect(events).toEqual([
      "start candidate a rerank_candidates",
      "start hedge b rerank_candidates",
      "end b ok b-model 7+4",
      "end a cancelled a-model",
      "decided FASTEST -> FASTEST c2",
    ]);
  });

  it("JUDGE: the candidates, then the judge's own call with its role", async () => {
    const clock = new FakeClock();
    const { events, observer } = recorder();
    const list = providers("a", "b");
    const judge = new ScriptedProvider("referee");
    const ensemble = createEnsemble({ observer, judges: (name) => (name === "referee" ? judge : undefined) });
    const run = ensemble.run(planFor(clock, "JUDGE", list, { settings: { judgeProvider: "referee" } }));
    await clock.advance(0);
    list[0]!.answer("the night drive");
    list[1]!.answer("a sunrise");
    await clock.advance(1);
    judge.answer(JSON.stringify({ winner_id: idOf(judge.lastRequest, "a sunrise"), confidence: 0.9, reason: "r" }));
    await run;
    await clock.advance(0);
    expect(events).toEqual([
      "start candidate a rerank_candidates",
      "start candidate b rerank_candidates",
      "end a ok a-model 3+2",
      "end b ok b-model 3+2",
      "start judge referee rerank_candidates",
      "end referee ok referee-model 3+2",
      "decided JUDGE -> JUDGE c2",
    ]);
  });

  it("an observer that throws never fails the call or the decision", async () => {
    const clock = new FakeClock();
    const failing: EnsembleObserver = {
      callStarted: () => {
        throw new Error("metrics broke");
      },
      decided: () => {
        throw new Error("metrics broke");
      },
    };
    const errors: unknown[] = [];
    const [a] = providers("a");
    const run = createEnsemble({ observer: failing, onError: (e) => errors.push(e) }).run(planFor(clock, "FASTEST", [a!]));
    a!.answer("fine");
    expect((await run).output).toBe("fine");
    expect(errors).toHaveLength(1);
  });
});
