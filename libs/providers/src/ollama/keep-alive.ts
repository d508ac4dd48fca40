import type { OllamaKeepAlive } from "./api.js";

/**
 * The config's keep_alive as Ollama parses it: Go's time.ParseDuration accepts
 * "30m" and "0" but not "-1", so the bare numbers go as numbers (seconds; negative = forever).
 */
export function ollamaKeepAlive(value: string): OllamaKeepAlive {
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

// Ollama's own default, used if a value slipped past the config's check (Ollama would refuse the call anyway).
const OLLAMA_DEFAULT_MS = 5 * 60_000;

/** How long Ollama keeps the model loaded after a call with this keep_alive, in ms; Infinity when negative (forever). */
export function keepAliveMs(value: string): number {
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return Number(text) < 0 ? Infinity : Number(text) * 1_000;
  const negative = text.startsWith("-");
  const body = negative ? text.slice(1) : text;
  if (!/^(\d+(ms|s|m|h))+$/.test(body)) return OLLAMA_DEFAULT_MS;
  let ms = 0;
  for (const [, amount, unit] of body.matchAll(/(\d+)(ms|s|m|h)/g)) ms += Number(amount) * UNIT_MS[unit!]!;
  return negative && ms > 0 ? Infinity : ms;
}
