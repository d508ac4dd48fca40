import type { TaskName } from "@llm-pool/core";

/**
 * WinRateStore keeps how often each provider's answer was chosen, per task
 * (R-ENS-3). WEIGHTED multiplies it by the config weight. Every decision of
 * every strategy feeds it: the winner's provider gets a win, every other
 * valid candidate a loss (failed calls are the breakers' business, not this).
 * Implementations: `win-rate/memory.ts`; a Redis one shares it between
 * replicas.
 */
export interface WinRateStore {
  /** The win-rate in [0, 1] of each named provider for the task; unknown providers get the prior. */
  rates(task: TaskName, providers: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** Records one decision. */
  record(task: TaskName, winner: string, losers: readonly string[]): Promise<void>;
}
