/** One request's fate in a closed loop: the outcome label the caller gave and the time it took. */
export interface LoopOutcome {
  readonly index: number;
  readonly outcome: string;
  readonly ms: number;
}

/**
 * Sends `count` requests from `concurrency` workers, each starting its next request when the last
 * one ends (a closed loop: bounded in count, never more than `concurrency` in flight). `send` returns
 * an outcome label ("200", "UNAVAILABLE", ...); a thrown error is recorded as `error: <message>`.
 */
export async function closedLoop(
  count: number,
  concurrency: number,
  send: (index: number) => Promise<string>,
  onDone?: (done: number) => void,
): Promise<LoopOutcome[]> {
  const outcomes: LoopOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const start = performance.now();
      const outcome = await send(index).catch((error: unknown) => `error: ${(error as Error).message}`);
      outcomes.push({ index, outcome, ms: performance.now() - start });
      onDone?.(outcomes.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return outcomes;
}
