import type { CandidateRecord, EnsemblePlan, Provider, ProviderCallRole, ProviderResult } from "@llm-pool/core";

/**
 * Tells the plan's observer (metrics, trace spans) that a call to `provider`
 * starts now, and how it ended once `settled` resolves. An observer that
 * throws is ignored: telemetry never fails a call.
 */
export function observeCall(
  plan: EnsemblePlan,
  provider: Provider,
  role: ProviderCallRole,
  settled: Promise<{ readonly record: CandidateRecord }>,
): void {
  const observer = plan.observer;
  if (!observer) return;
  let ended: ReturnType<typeof observer.callStarted>;
  try {
    ended = observer.callStarted({ provider: provider.name, model: provider.model, task: plan.task, role });
  } catch {
    return;
  }
  void settled
    .then(({ record }) =>
      ended({
        status: record.status,
        model: record.model,
        ...(record.usage ? { usage: record.usage } : {}),
        ...(record.error === undefined ? {} : { error: record.error }),
      }),
    )
    .catch(() => {});
}

/**
 * The judge provider with its calls reported to the plan's observer (role
 * "judge"); the provider itself when the plan has no observer.
 */
export function observedJudge(provider: Provider | undefined, plan: EnsemblePlan): Provider | undefined {
  const observer = plan.observer;
  if (!provider || !observer) return provider;
  const infer: Provider["infer"] = (request, signal) => {
    const result = provider.infer(request, signal);
    observeCall(plan, provider, "judge", result.then(
      (answer: ProviderResult) => ({ record: judgeRecord(provider, "ok", answer) }),
      (reason: unknown) => ({ record: judgeRecord(provider, signal.aborted ? "timeout" : "error", undefined, reason) }),
    ));
    return result;
  };
  return new Proxy(provider, {
    get(target, property) {
      if (property === "infer") return infer;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function judgeRecord(provider: Provider, status: CandidateRecord["status"], answer?: ProviderResult, reason?: unknown): CandidateRecord {
  return {
    id: "judge",
    provider: provider.name,
    model: answer?.model || provider.model,
    latencyMs: 0,
    status,
    score: 0,
    hedged: false,
    ...(answer ? { usage: answer.usage } : {}),
    ...(reason === undefined ? {} : { error: (reason instanceof Error ? reason.message : String(reason)).slice(0, 256) }),
  };
}
