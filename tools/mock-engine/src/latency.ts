import type { Random } from "./prng.js";
import type { LatencySpec } from "./scenario.js";

/** Where a request's time goes once it holds a slot (ms). */
export interface LatencyPlan {
  loadMs: number;
  promptEvalMs: number;
  evalMs: number;
}

/** Two uniform numbers drawn when a request arrives, so the draw order never depends on timing. */
export interface LatencyDraw {
  u1: number;
  u2: number;
}

export function drawLatency(random: Random): LatencyDraw {
  return { u1: random(), u2: random() };
}

export interface LatencyInput {
  promptTokens: number;
  evalTokens: number;
  /** The model is not resident: pay `cold_load_ms`. */
  cold: boolean;
  timeScale: number;
}

// z for the 95th percentile of a standard normal.
const Z95 = 1.6448536269514722;

function standardNormal({ u1, u2 }: LatencyDraw): number {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * fixed / uniform / lognormal give the whole generation time (streamed evenly over the tokens);
 * throughput splits it into reading the prompt and producing tokens, as a real engine does.
 */
export function planLatency(spec: LatencySpec, draw: LatencyDraw, input: LatencyInput): LatencyPlan {
  const scale = input.timeScale;
  const loadMs = input.cold ? (spec.cold_load_ms ?? 0) * scale : 0;
  switch (spec.kind) {
    case "fixed":
      return { loadMs, promptEvalMs: 0, evalMs: spec.ms * scale };
    case "uniform":
      return { loadMs, promptEvalMs: 0, evalMs: (spec.min_ms + draw.u1 * (spec.max_ms - spec.min_ms)) * scale };
    case "lognormal": {
      const mu = Math.log(spec.p50_ms);
      const sigma = (Math.log(spec.p95_ms) - mu) / Z95;
      return { loadMs, promptEvalMs: 0, evalMs: Math.exp(mu + sigma * standardNormal(draw)) * scale };
    }
    case "throughput":
      return {
        loadMs,
        promptEvalMs: (input.promptTokens / spec.prompt_tokens_per_s) * 1000 * scale,
        evalMs: (input.evalTokens / spec.tokens_per_s) * 1000 * scale,
      };
  }
}
