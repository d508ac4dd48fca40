import type { Clock } from "@llm-pool/core";

/**
 * A wall clock slowed down for the live bench: the pool side reads and waits
 * in scenario milliseconds while real time runs `scale` times as fast, the
 * same factor the mock engine's `time_scale` applies to its durations. So a
 * 1170 ms deadline and a 350 ms hedge keep their meaning in a short run.
 */
export function scaledClock(scale: number): Clock {
  const origin = performance.now();
  const epoch = Date.now();
  return {
    now: () => epoch + (performance.now() - origin) / scale,
    setTimer(ms, fn) {
      const timer = setTimeout(fn, Math.max(0, ms * scale));
      return () => clearTimeout(timer);
    },
  };
}
