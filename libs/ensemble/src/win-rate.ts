import type { TaskName } from "@llm-pool/core";

/**
 * WinRateStore keeps how often each provider's answer was chosen when answers
 * were compared by content, per task (R-ENS-3). WEIGHTED multiplies it by the
 * config weight. Only comparisons feed it: VOTING and CONSENSUS (the winning
 * cluster won, other valid answers lost) and JUDGE (the verdict's pick won,
 * the other answers it saw lost). A pick by score (WEIGHTED) or by time
 * (FASTEST) compares nothing and records nothing; failed calls are the
 * breakers' and the track record's business.
 * Implementations: `win-rate/memory.ts`; `win-rate/redis.ts` shares it
 * between replicas.
 */
export interface WinRateStore {
  /** The win-rate in [0, 1] of each named provider for the task; unknown providers get the prior. */
  rates(task: TaskName, providers: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** Records one comparison: each of `won` gets a win, each of `lost` a loss. */
  record(task: TaskName, won: readonly string[], lost: readonly string[]): Promise<void>;
}
