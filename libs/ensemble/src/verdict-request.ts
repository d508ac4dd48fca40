import type { CallForecast, ProviderRequest } from "@llm-pool/core";
import type { Ballot } from "./judge-prompt.js";
import type { RunContext } from "./run-context.js";
import { VERDICT_SCHEMA } from "./verdict.js";

/** Verdicts are short; the judge never gets more than this many tokens (R-ENS-4). */
export const JUDGE_MAX_TOKENS = 128;

/**
 * Above every task's `priority` (0 to 9): on a busy engine the verdict goes
 * before its tenant's waiting calls (R-QOS-5), since it finishes a query
 * whose candidates already ran, and its window is planned without a wait.
 */
const VERDICT_PRIORITY = 10;

/** The judge's call for `ballot`: temperature 0, the verdict schema, the query's tenant and a priority above every task's. */
export function verdictRequest(ctx: RunContext, ballot: Pick<Ballot, "system" | "prompt">): ProviderRequest {
  return {
    task: "judge",
    system: ballot.system,
    prompt: ballot.prompt,
    maxTokens: Math.max(1, Math.min(JUDGE_MAX_TOKENS, ctx.settings.judgeMaxTokens)),
    temperature: 0,
    ...(ctx.plan.request.seed === undefined ? {} : { seed: ctx.plan.request.seed }),
    output: { kind: "json_schema", schema: VERDICT_SCHEMA },
    // The verdict draws on the query's tenant's fair share, ahead of that tenant's other calls.
    ...(ctx.plan.request.tenant === undefined ? {} : { tenant: ctx.plan.request.tenant }),
    priority: VERDICT_PRIORITY,
  };
}

/**
 * The judge engine's own forecast for a verdict started now (its typical time
 * for verdicts plus a margin for their spread, and the wait for a slot), or
 * undefined when the judge has none (no engine queue, or no verdict measured
 * yet). The forecast reads who the call is for and how long it may write,
 * never the prompt.
 */
export function verdictForecast(ctx: RunContext): CallForecast | undefined {
  const name = ctx.settings.judgeProvider;
  const judge = name ? ctx.deps.judges(name) : undefined;
  return judge?.forecast?.(verdictRequest(ctx, { system: "", prompt: "" }));
}
