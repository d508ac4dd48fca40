import type { EnsembleObserver } from "@llm-pool/core";
import { Counter, Histogram, type Registry } from "prom-client";
import { INFER_BUCKETS_MS } from "./infer-metrics.js";

/**
 * The ensemble's work as metrics: each provider call's duration by how it
 * ended (role candidate, hedge or judge), tokens, hedges fired and won,
 * decisions and fallback steps. Labels are provider and task names from the
 * config and closed sets (status, role, strategy, fallback reason).
 */
export function createEnsembleMetrics(registry: Registry, now: () => number): EnsembleObserver {
  const calls = new Histogram({
    name: "llmpool_provider_call_duration_ms",
    help: "Provider calls by how they ended (status ok, error, timeout, cancelled, invalid) and why they were made (role candidate, hedge, judge), in milliseconds.",
    labelNames: ["provider", "task", "role", "status"] as const,
    buckets: INFER_BUCKETS_MS,
    registers: [registry],
  });
  const tokens = new Counter({
    name: "llmpool_provider_tokens_total",
    help: "Tokens engines reported, by provider, task and kind (prompt, completion).",
    labelNames: ["provider", "task", "kind"] as const,
    registers: [registry],
  });
  const hedgesFired = new Counter({
    name: "llmpool_hedges_fired_total",
    help: "Hedged calls FASTEST started beside a call still running, by the provider hedged onto and the task.",
    labelNames: ["provider", "task"] as const,
    registers: [registry],
  });
  const hedgesWon = new Counter({
    name: "llmpool_hedges_won_total",
    help: "Decisions a hedged call won, by its provider and the task.",
    labelNames: ["provider", "task"] as const,
    registers: [registry],
  });
  const decisions = new Counter({
    name: "llmpool_ensemble_decision_total",
    help: "Ensemble decisions by task, requested strategy and the strategy that decided after any fallback.",
    labelNames: ["task", "strategy", "applied"] as const,
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: "llmpool_ensemble_fallback_total",
    help: "Fallback steps of the strategies' chains, by task, the strategy left, the one tried next and why.",
    labelNames: ["task", "from", "to", "reason"] as const,
    registers: [registry],
  });

  return {
    callStarted({ provider, task, role }) {
      const startedAt = now();
      if (role === "hedge") hedgesFired.inc({ provider, task });
      return ({ status, usage }) => {
        calls.observe({ provider, task, role, status }, Math.max(0, now() - startedAt));
        if (usage) {
          tokens.inc({ provider, task, kind: "prompt" }, usage.promptTokens);
          tokens.inc({ provider, task, kind: "completion" }, usage.completionTokens);
        }
      };
    },
    decided(plan, outcome) {
      decisions.inc({ task: plan.task, strategy: plan.strategy, applied: outcome.strategyApplied });
      for (const step of outcome.fallbacks) fallbacks.inc({ task: plan.task, from: step.from, to: step.to, reason: step.reason });
      const winner = outcome.candidates.find((c) => c.id === outcome.winnerId);
      if (winner?.hedged) hedgesWon.inc({ provider: winner.provider, task: plan.task });
    },
  };
}
