// The assertions every real-engine spec makes the same way, so the three engines are held to
// exactly the same checks. Test support, never built.
import type { Provider } from "@llm-pool/core";
import type { Driver } from "../../src/driver.js";
import { expect } from "vitest";
import { CITY_JSON, REPEATABLE, cityMismatch } from "./engine-cases.js";

/** A json_schema request ends by itself (not cut by max_tokens) with JSON that matches the schema. */
export async function expectSchemaAnswer(provider: Provider, signal: AbortSignal): Promise<void> {
  const result = await provider.infer(CITY_JSON, signal);
  expect(result.finishReason).toBe("stop");
  const parsed: unknown = JSON.parse(result.text);
  expect(cityMismatch(parsed)).toBeUndefined();
}

/**
 * Two calls with the same seed at temperature 0 give the same text and token count. `usage`
 * "all" also compares prompt tokens (engines that count the prompt the same way every time).
 */
export async function expectRepeatable(
  provider: () => Provider,
  signal: () => AbortSignal,
  usage: "completion" | "all" = "completion",
): Promise<void> {
  const first = await provider().infer(REPEATABLE, signal());
  const second = await provider().infer(REPEATABLE, signal());
  expect(first.text.length).toBeGreaterThan(0);
  expect(second.text).toBe(first.text);
  if (usage === "all") expect(second.usage).toEqual(first.usage);
  else expect(second.usage.completionTokens).toBe(first.usage.completionTokens);
}

/**
 * The streamed call gives what the unstreamed one gives (R-API-6): seed and temperature 0 pin the
 * text, which arrives in several pieces that join to it, with the same completion tokens and finish.
 */
export async function expectStreamedLikeWhole(driver: Driver, signal: () => AbortSignal): Promise<void> {
  const whole = await driver.infer(REPEATABLE, signal());
  const pieces: string[] = [];
  const streamed = await driver.inferStream(REPEATABLE, signal(), (text) => pieces.push(text));
  expect(pieces.length).toBeGreaterThan(1);
  expect(pieces.join("")).toBe(streamed.text);
  expect(streamed.text).toBe(whole.text);
  expect(streamed.usage.completionTokens).toBe(whole.usage.completionTokens);
  expect(streamed.finishReason).toBe(whole.finishReason);
}
