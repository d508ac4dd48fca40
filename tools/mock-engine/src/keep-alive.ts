// Ollama's keep_alive: a number of seconds or a Go duration string ("5m", "1h30m", "0");
// any negative value keeps the model loaded forever.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const DURATION = /^([+-]?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;

/** Milliseconds, or Infinity for "forever". Throws a message fit for an API error on anything else. */
export function parseKeepAlive(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) {
    return value < 0 ? Infinity : value * 1000;
  }
  if (typeof value === "string") {
    const text = value.trim();
    if (/^[+-]?\d+(?:\.\d+)?$/.test(text)) return parseKeepAlive(Number(text));
    const found = DURATION.exec(text);
    if (found) {
      let ms = 0;
      for (const [, amount, unit] of (found[2] ?? "").matchAll(PART)) {
        ms += Number(amount) * (UNIT_MS[unit ?? "s"] ?? 1000);
      }
      return found[1] === "-" && ms > 0 ? Infinity : ms;
    }
  }
  throw new Error(`invalid keep_alive ${JSON.stringify(value)}: use seconds or a duration like "5m"`);
}
