import { DEFAULT_BREAKER, type SimScenario } from "./scenario.js";

// Deadlines are the seed's default_deadline_ms (1200) minus deadline_margin_ms (30).
const DEADLINE_MS = 1170;

/**
 * R-QOS-3's case: the primary is slow now and then (a long tail and
 * unannounced stalls), and a second engine has a healthy model.
 */
export const slowProvider: SimScenario = {
  name: "slow-provider",
  description: "primary phi3 on box-a stalls on 10% of calls (+600 ms median); llama on box-b is healthy",
  engines: [
    { name: "box-a", slots: 2, contention: 0.9, batchContention: 0.3 },
    { name: "box-b", slots: 2, contention: 0.9, batchContention: 0.3 },
  ],
  providers: [
    { name: "phi3", engine: "box-a", work: { p50: 300, p95: 480 }, coldLoadMs: 1800, evictionRate: 0, stall: { probability: 0.1, p50: 600, p95: 850 } },
    { name: "llama", engine: "box-b", work: { p50: 380, p95: 560 }, coldLoadMs: 3500, evictionRate: 0 },
  ],
  ratePerSecond: 0.5,
  deadlineMs: DEADLINE_MS,
  requests: 3000,
  seed: 20_240_601,
  breaker: DEFAULT_BREAKER,
};

/**
 * The seed's acceptance setup: one Mac mini running Ollama with two small
 * models, two slots, and phi3 now and then evicted (its next call pays a
 * 1.8 s cold load).
 */
export const macMini: SimScenario = {
  name: "mac-mini",
  description: "one Mac mini (2 slots, shared compute): phi3 then llama3.1 (kept warm); phi3 is evicted before ~3% of queries",
  engines: [{ name: "mac-mini", slots: 2, contention: 0.9, batchContention: 0.3 }],
  providers: [
    { name: "phi3", engine: "mac-mini", work: { p50: 280, p95: 520 }, coldLoadMs: 1800, evictionRate: 0.03 },
    { name: "llama", engine: "mac-mini", work: { p50: 400, p95: 650 }, coldLoadMs: 3500, evictionRate: 0 },
  ],
  ratePerSecond: 0.5,
  deadlineMs: DEADLINE_MS,
  requests: 3000,
  seed: 20_240_602,
  breaker: DEFAULT_BREAKER,
};

/**
 * Pure contention: two steady models on one engine under load. Latency
 * varies only because queries share the engine, so a hedge can only add load.
 */
export const contention: SimScenario = {
  name: "contention",
  description: "one engine (2 slots, shared compute) under load; steady models; every delay comes from sharing",
  engines: [{ name: "mac-mini", slots: 2, contention: 0.9, batchContention: 0.3 }],
  providers: [
    { name: "phi3", engine: "mac-mini", work: { p50: 380, p95: 460 }, coldLoadMs: 1800, evictionRate: 0 },
    { name: "llama", engine: "mac-mini", work: { p50: 400, p95: 480 }, coldLoadMs: 3500, evictionRate: 0 },
  ],
  ratePerSecond: 1.0,
  deadlineMs: DEADLINE_MS,
  requests: 3000,
  seed: 20_240_603,
  breaker: DEFAULT_BREAKER,
};

/** The primary's engine is down: every call hangs until the deadline (R-QOS-1). */
export const failingProvider: SimScenario = {
  name: "failing-provider",
  description: "phi3 on box-a hangs on every call; llama on box-b is healthy; 50 min of traffic",
  engines: [
    { name: "box-a", slots: 2, contention: 0.9, batchContention: 0.3 },
    { name: "box-b", slots: 2, contention: 0.9, batchContention: 0.3 },
  ],
  providers: [
    { name: "phi3", engine: "box-a", work: { p50: 300, p95: 650 }, coldLoadMs: 1800, evictionRate: 0, hang: 1 },
    { name: "llama", engine: "box-b", work: { p50: 380, p95: 600 }, coldLoadMs: 3500, evictionRate: 0 },
  ],
  ratePerSecond: 0.5,
  deadlineMs: DEADLINE_MS,
  requests: 3000,
  seed: 20_240_604,
  breaker: DEFAULT_BREAKER,
};

export const SCENARIOS: readonly SimScenario[] = [slowProvider, macMini, contention, failingProvider];
