export interface DeadlineSplitInput {
  /** The whole budget of the query, in ms. */
  readonly totalMs: number;
  /** The judge's share of what is left after the margin, in [0, 1). Default 0.3 (candidates 70%, judge 30%). */
  readonly judgeShare?: number;
  /** Kept back so the answer leaves the pool before the client gives up; capped at half the budget. Default 30. */
  readonly marginMs?: number;
  /** A judge with less than this cannot answer; its share then goes to the candidates. Default 50. */
  readonly minJudgeMs?: number;
  /**
   * How long the judge is expected to take, measured on its engine (read the
   * ballot, write a verdict of at most 128 tokens). When given, the judge gets
   * this instead of `judgeShare`, capped at `maxJudgeShare` of the usable time.
   */
  readonly judgeNeedMs?: number;
  /** The largest part of the usable time a measured judge may take, in (0, 1). Default 0.6. */
  readonly maxJudgeShare?: number;
}

export interface DeadlineSplit {
  readonly totalMs: number;
  readonly marginMs: number;
  /** Time for the candidates, from the start of the query. */
  readonly candidateMs: number;
  /** Time for the judge, after the candidates' time; 0 when `judge` is false. */
  readonly judgeMs: number;
  /** Whether there is time to ask a judge at all; when false, fall back at once (R-ENS-4). */
  readonly judge: boolean;
}

/**
 * Splits a query's deadline between the candidates and the judge (R-QOS-2):
 * whole milliseconds with candidateMs + judgeMs + marginMs === totalMs.
 * The judge gets what it was measured to need when that is known, else its
 * fixed share. Tiny deadlines stay usable: the margin never takes more than
 * half, and a judge part too small to answer in goes to the candidates instead.
 */
export function splitDeadline(input: DeadlineSplitInput): DeadlineSplit {
  const { judgeShare = 0.3, marginMs = 30, minJudgeMs = 50, judgeNeedMs, maxJudgeShare = 0.6 } = input;
  if (!Number.isFinite(input.totalMs)) throw new RangeError(`totalMs must be a finite number, got ${input.totalMs}`);
  if (!(judgeShare >= 0 && judgeShare < 1)) throw new RangeError(`judgeShare must be in [0, 1), got ${judgeShare}`);
  if (!(marginMs >= 0)) throw new RangeError(`marginMs must not be negative, got ${marginMs}`);
  if (!(minJudgeMs >= 0)) throw new RangeError(`minJudgeMs must not be negative, got ${minJudgeMs}`);
  if (judgeNeedMs !== undefined && !(judgeNeedMs >= 0 && Number.isFinite(judgeNeedMs))) {
    throw new RangeError(`judgeNeedMs must be a finite number of ms, got ${judgeNeedMs}`);
  }
  if (!(maxJudgeShare > 0 && maxJudgeShare < 1)) throw new RangeError(`maxJudgeShare must be in (0, 1), got ${maxJudgeShare}`);

  const totalMs = Math.max(0, Math.floor(input.totalMs));
  const margin = Math.min(Math.floor(marginMs), Math.floor(totalMs / 2));
  const usable = totalMs - margin;
  // The epsilon keeps 1170 * 0.3 at 351 whatever the binary rounding; the remainder goes to the candidates.
  const judgeMs =
    judgeNeedMs === undefined
      ? Math.floor(usable * judgeShare + 1e-6)
      : Math.min(Math.ceil(judgeNeedMs), Math.floor(usable * maxJudgeShare + 1e-6));
  const candidateMs = usable - judgeMs;
  if (judgeShare === 0 || judgeMs === 0 || judgeMs < minJudgeMs) {
    return { totalMs, marginMs: margin, candidateMs: usable, judgeMs: 0, judge: false };
  }
  return { totalMs, marginMs: margin, candidateMs, judgeMs, judge: true };
}
