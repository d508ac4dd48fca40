// The assertions every real-engine spec makes the same way, so the three engines are held to
// exactly the same checks. Test support, never built.
import type { Provider } from "@llm-pool/core";
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
