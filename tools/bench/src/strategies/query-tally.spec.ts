import type { CallForecast, Provider, ProviderRequest, ProviderResult } from "@llm-pool/core";
import { describe, expect, it } from "vitest";
import { QueryTally, tallied, withTally } from "./query-tally.js";

const request: ProviderRequest = { task: "expand_queries", prompt: "p", maxTokens: 8, temperature: 0, output: { kind: "text" } };
const forecast: CallForecast = { waitMs: 300, serviceMs: 900, typicalMs: 600 };

/** A provider on an engine whose queue forecasts, with a loaded model. */
const engineProvider: Provider = {
  name: "p",
  driver: "ollama",
  model: "m",
  engine: "e",
  supports: () => true,
  hasFreeSlot: () => false,
  forecast: () => forecast,
  isResident: () => true,
  infer: async (): Promise<ProviderResult> => ({ text: "x", model: "m", usage: { promptTokens: 3, completionTokens: 2 }, finishReason: "stop" }),
};

describe("the strategies bench counts calls through providers the strategies plan with as the pool's (R-QOS-5)", () => {
  it("keeps the engine queue's forecast and the model's residency, which admission, FASTEST and JUDGE read", () => {
    const counted = tallied(engineProvider, "candidate");
    expect(counted.forecast?.(request)).toEqual(forecast);
    expect(counted.isResident?.()).toBe(true);
    expect(counted.hasFreeSlot?.()).toBe(false);
  });

  it("counts each call and its tokens in the query's tally", async () => {
    const tally = new QueryTally();
    await withTally(tally, () => tallied(engineProvider, "judge").infer(request, new AbortController().signal));
    expect([tally.judgeCalls, tally.judgeTokens, tally.candidateCalls]).toEqual([1, 5, 0]);
  });
});
