// @llm-pool/qos — quality of service: circuit breakers (R-QOS-1), the deadline split (R-QOS-2) and the
// pieces of hedging (R-QOS-3): budget, adaptive delay and the engine-aware plan. Time comes from an
// injected Clock, so every piece runs under a FakeClock in tests.

export { BreakerBoard, settleTicket } from "./breaker-board.js";
export { HedgeBudget } from "./hedge-budget.js";
export { LatencyTracker } from "./latency-tracker.js";
export { hedgePlan, primaryStall, rescueAfterMs } from "./hedge-plan.js";
export type { HedgeMoment, HedgeView } from "./hedge-plan.js";
export { splitDeadline } from "./deadline-split.js";
export type { DeadlineSplit } from "./deadline-split.js";
