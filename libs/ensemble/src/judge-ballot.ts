import { isValid, type Gathered } from "./gather.js";
import type { GatherPolicy } from "./gathered-run.js";
import type { RunContext } from "./run-context.js";
import { verdictForecast } from "./verdict-request.js";

/** Answers a verdict compares at the least. */
const BALLOT = 2;

/** A ballot candidate still working at this multiple of its usual latency is overdue. */
const OVERDUE_FACTOR = 2;

/**
 * JUDGE's candidates until the judge's window opens (R-ENS-4, R-ENS-5; the
 * window comes from judgeWindow). The track record says when each candidate
 * usually answers (its usual latency from its start). JUDGE waits for its
 * ballot:
 *
 * - every candidate with no record yet, or only a stale one (that is how it
 *   gets a fresh one, so a candidate left out once is not left out for good);
 * - the two expected first, which make a ballot; when candidates measured
 *   afresh fill seats, the two expected first still join if they are expected
 *   before the window opens;
 * - any other expected early enough that the judge would still have twice
 *   its measured time after it.
 *
 * The other candidates expected before the window opens are stand-ins, held
 * back: a candidate waited for that fails (an error, an
 * invalid answer, a refusal) is replaced by the next stand-in, who is then
 * waited for too. A ballot candidate overdue (still working at twice its
 * usual latency: a stalled call) is called a second time when that call can
 * land before the window; the same provider gives the same answer, only
 * sooner, and whichever call answers first is its answer. The others are
 * not called: each call delays the verdict and holds engine time the
 * verdict needs.
 *
 * The judge starts once every candidate waited for has finished (with two
 * valid answers among them), or when the window opens, with the answers in
 * by then (late ones lose). Who is waited for follows from history and from
 * the answers (a failure calls a stand-in), and the window is fixed at the
 * start, so which answers the judge sees depends on which arrived before the
 * window, never on their order.
 */
export function judgeCandidates(ctx: RunContext): GatherPolicy {
  const { plan } = ctx;
  const split = ctx.judgeWindow();
  const opensAt = plan.startedAt + split.candidateMs;
  const closesAt = lastCallFor(ctx, opensAt);
  const usual = ctx.tracks().map((t) => (t.stale ? undefined : t.latencyMs));
  const ballot = usual.flatMap((ms, i) => (ms === undefined ? [i] : []));
  const measuredAfresh = ballot.length;
  const known = usual.flatMap((ms, i) => (ms === undefined ? [] : [i])).sort((a, b) => usual[a]! - usual[b]! || a - b);
  const slackFrom = plan.deadline.at - 2 * split.judgeMs;
  const others: number[] = [];
  for (const i of known) {
    const at = plan.startedAt + usual[i]!;
    // Candidates measured afresh come on top of the two expected before the window, never in their place:
    // a slow one whose record went stale would otherwise take a seat it cannot fill in time.
    const seat = ballot.length < BALLOT || (ballot.length - measuredAfresh < BALLOT && at <= opensAt);
    (seat || at <= slackFrom ? ballot : others).push(i);
  }
  const standIns = others.filter((i) => plan.startedAt + usual[i]! <= opensAt);

  const waitedFor = [...ballot];
  /** Candidates waited for that failed and were replaced (or found no stand-in left). */
  const replaced = new Set<number>();
  /** Ballot candidates found overdue (called a second time, or too late for it). */
  const overdue = new Set<number>();
  let hedges = 0;

  return {
    windowEndsAt: closesAt,
    // Once the window is open, two valid answers are a ballot: the judge does not wait for more.
    ...(closesAt > opensAt ? { closeWindow: { from: opensAt, when: (finished: readonly Gathered[]) => finished.filter(isValid).length >= BALLOT } } : {}),
    leaveOut: (i) => (ballot.includes(i) || standIns.includes(i) ? undefined : "not called: the judge has a ballot of answers expected earlier"),
    standIns: {
      heldBack: standIns,
      askAfter: (i) => (ballot.includes(i) && usual[i] !== undefined ? OVERDUE_FACTOR * usual[i]! : undefined),
      reason: "not called: no candidate of the ballot needed a stand-in",
      next(finished, now, startedAt) {
        const byIndex = new Map(finished.map((g) => [g.index, g]));
        for (const i of waitedFor) {
          const g = byIndex.get(i);
          if (replaced.has(i) || g === undefined || isValid(g)) continue;
          replaced.add(i);
          const standIn = standIns[waitedFor.length - ballot.length];
          if (standIn === undefined) return undefined;
          waitedFor.push(standIn);
          return standIn;
        }
        for (const i of ballot) {
          const since = startedAt(i);
          const ms = usual[i];
          if (overdue.has(i) || byIndex.has(i) || since === undefined || ms === undefined || now < since + OVERDUE_FACTOR * ms) continue;
          overdue.add(i);
          if (now + ms > opensAt) continue;
          hedges++;
          return i;
        }
        return undefined;
      },
    },
    enough(finished) {
      const done = new Map(finished.map((g) => [g.index, g]));
      return waitedFor.every((i) => done.has(i)) && finished.filter(isValid).length >= BALLOT;
    },
    // Without its ballot there is no verdict: a ballot candidate (or the stand-in replacing one) is skipped
    // only when its engine could not answer before the window even at its typical speed.
    needed: (i) => waitedFor.includes(i),
    hedges: () => hedges,
  };
}

/**
 * When the candidates' calls end. At the window's opening when two valid
 * answers are in by then; otherwise the judge would not be called at all, so
 * the window stays open while the judge engine's forecast for a verdict
 * started on a free slot still lands before the deadline: an answer of the
 * ballot still on its way gets that time (R-ENS-4). Without a forecast, the
 * window's opening.
 */
function lastCallFor(ctx: RunContext, opensAt: number): number {
  const forecast = verdictForecast(ctx);
  return forecast === undefined ? opensAt : Math.max(opensAt, ctx.plan.deadline.at - forecast.serviceMs);
}
