import { percentile } from "../stats.js";
import { alignTable, ms, pct } from "../table.js";
import type { OverloadRun, QueryOutcome } from "./overload-run.js";
import type { OverloadScenario } from "./overload-scenario.js";

/** What one load step looked like to the clients under one policy. */
export interface StepRow {
  readonly policy: string;
  readonly step: string;
  /** Offered load as a multiple of capacity. */
  readonly load: number;
  readonly offered: number;
  /** Answers within the deadline per second, as a share of the engine's capacity. */
  readonly goodput: number;
  /** Share of queries answered within the deadline. */
  readonly answered: number;
  /** Share refused at once (429 resource_exhausted before any wait). */
  readonly refused: number;
  /** Real ms the pool took to refuse at once, median and 99th percentile (live runs; the simulator spends no time). */
  readonly refusalP50WallMs: number;
  readonly refusalP99WallMs: number;
  /** CPU ms the process used during those refusals, 99th percentile: the pool's own cost, without the wait for a CPU. */
  readonly refusalP99CpuMs: number;
  /** Queries refused only when their turn in the queue came too late (429 after waiting). */
  readonly lateRefusals: number;
  /** Scenario ms to the answer or error of every query that was not refused, 99th percentile. */
  readonly admittedP99: number;
  /** Admitted queries that still ran out of time (504). */
  readonly timedOut: number;
  /** Queries refused as unavailable (503: breakers open, no provider). */
  readonly unavailable: number;
  readonly breakerOpens: number;
  /** The engine's learned concurrency limit, mean over the step's arrivals. */
  readonly limit: number;
}

/** A refusal decided on arrival, before any wait (a later one came when the query's turn in the queue was too late). */
const AT_ONCE_MS = 50;
const isRefusal = (o: QueryOutcome) => o.code === "resource_exhausted" && o.latencyMs <= AT_ONCE_MS;
const isLateRefusal = (o: QueryOutcome) => o.code === "resource_exhausted" && o.latencyMs > AT_ONCE_MS;
const isGood = (o: QueryOutcome) => o.code === "ok" && o.latencyMs <= o.query.deadlineMs;

export function stepRows(scenario: OverloadScenario, run: OverloadRun): StepRow[] {
  let start = 0;
  return scenario.steps.map((step, index) => {
    const end = start + step.seconds * 1000;
    const outcomes = run.outcomes.filter((o) => o.query.step === index);
    const admitted = outcomes.filter((o) => !isRefusal(o));
    const refusals = outcomes.filter(isRefusal).map((o) => o.wallMs).sort((a, b) => a - b);
    const refusalCpu = outcomes.filter(isRefusal).map((o) => o.cpuMs).sort((a, b) => a - b);
    const limits = run.limitByStep.get(index) ?? [];
    const good = outcomes.filter((o) => isGood(o)).length;
    const row: StepRow = {
      policy: run.policy,
      step: step.label,
      load: Object.values(step.perTenant).reduce((sum, m) => sum + m, 0),
      offered: outcomes.length,
      goodput: good / step.seconds / scenario.capacityPerSecond,
      answered: outcomes.length === 0 ? 0 : good / outcomes.length,
      refused: outcomes.length === 0 ? 0 : refusals.length / outcomes.length,
      refusalP50WallMs: percentile(refusals, 0.5),
      refusalP99WallMs: percentile(refusals, 0.99),
      refusalP99CpuMs: percentile(refusalCpu, 0.99),
      admittedP99: percentile(admitted.map((o) => o.latencyMs).sort((a, b) => a - b), 0.99),
      lateRefusals: outcomes.filter(isLateRefusal).length,
      timedOut: outcomes.filter((o) => o.code === "deadline_exceeded").length,
      unavailable: outcomes.filter((o) => o.code === "unavailable").length,
      breakerOpens: run.breakerOpens.filter((b) => b.at >= start && b.at < end).length,
      limit: limits.length === 0 ? Number.NaN : limits.reduce((sum, l) => sum + l, 0) / limits.length,
    };
    start = end;
    return row;
  });
}

const STEP_COLUMNS = ["policy", "load", "goodput/cap", "answered", "refused", "refusal p50/p99 (real ms)", "admitted p99", "late 429", "504", "503", "opens", "limit"];

/**
 * One line per policy and step, the policies side by side step after step. The
 * real time of refusals is shown for live runs only: the simulator's wall time
 * is its own bookkeeping.
 */
export function formatStepTable(rows: readonly StepRow[], live: boolean): string {
  const steps = [...new Set(rows.map((r) => r.step))];
  const ordered = steps.flatMap((step) => rows.filter((r) => r.step === step));
  return alignTable(
    STEP_COLUMNS,
    ordered.map((r) => [
      r.policy,
      r.step,
      r.goodput.toFixed(2),
      pct(r.answered),
      pct(r.refused),
      live && Number.isFinite(r.refusalP99WallMs) ? `${r.refusalP50WallMs.toFixed(2)}/${r.refusalP99WallMs.toFixed(2)}` : "-",
      ms(r.admittedP99),
      String(r.lateRefusals),
      String(r.timedOut),
      String(r.unavailable),
      String(r.breakerOpens),
      Number.isFinite(r.limit) ? r.limit.toFixed(1) : "-",
    ]),
  );
}

/** The acceptance checks on one policy's ramp, each with the number behind it. */
export function rampChecks(rows: readonly StepRow[], deadlineMs: number, live: boolean): string[] {
  const peak = Math.max(...rows.map((r) => r.goodput));
  const at = (load: number) => rows.find((r) => r.load === load);
  const share = (load: number) => (at(load)?.goodput ?? 0) / peak;
  const worstP99 = Math.max(...rows.map((r) => (Number.isFinite(r.admittedP99) ? r.admittedP99 : 0)));
  const worstRefusal = Math.max(...rows.map((r) => (Number.isFinite(r.refusalP99WallMs) ? r.refusalP99WallMs : 0)));
  const worstRefusalCpu = Math.max(...rows.map((r) => (Number.isFinite(r.refusalP99CpuMs) ? r.refusalP99CpuMs : 0)));
  const opens = rows.reduce((sum, r) => sum + r.breakerOpens, 0);
  const mark = (ok: boolean) => (ok ? "ok  " : "FAIL");
  return [
    `${mark(share(2) >= 0.9 && share(3) >= 0.9)} goodput at 2x and 3x is ${pct(share(2))} and ${pct(share(3))} of the peak (${peak.toFixed(2)} x capacity); wanted >= 90%`,
    `${mark(worstP99 <= deadlineMs)} p99 of admitted queries is at most ${ms(worstP99)} ms; wanted <= the ${deadlineMs} ms deadline`,
    live
      ? `${mark(worstRefusal <= 5)} refusals at once take at most ${worstRefusal.toFixed(2)} ms of real time at p99, and at most ` +
        `${worstRefusalCpu.toFixed(2)} ms of the process's CPU time (the rest is waiting for a CPU); wanted <= 5 ms of real time`
      : `ok   refusals take no simulated time (they are decided before any engine call; the live run measures real time)`,
    `${mark(opens === 0)} ${opens} breaker openings on healthy providers; wanted none`,
  ];
}

/** One tenant's view of the two-tenant scenario in each step: the share it got answered in time, and how fast. */
export interface TenantRow {
  readonly policy: string;
  readonly tenant: string;
  readonly step: string;
  readonly answered: number;
  /** Of its queries answered in time. */
  readonly p95: number;
}

export function tenantRows(scenario: OverloadScenario, run: OverloadRun): TenantRow[] {
  const tenants = [...new Set(scenario.steps.flatMap((s) => Object.keys(s.perTenant)))];
  return scenario.steps.flatMap((step, index) =>
    tenants.filter((tenant) => tenant in step.perTenant).map((tenant) => {
      const outcomes = run.outcomes.filter((o) => o.query.step === index && o.query.tenant === tenant);
      const good = outcomes.filter((o) => isGood(o));
      const latencies = good.map((o) => o.latencyMs).sort((a, b) => a - b);
      return { policy: run.policy, tenant, step: step.label, answered: outcomes.length === 0 ? 0 : good.length / outcomes.length, p95: percentile(latencies, 0.95) };
    }),
  );
}

export function formatTenantTable(rows: readonly TenantRow[]): string {
  return alignTable(
    ["policy", "tenant", "step", "answered in time", "p95 of answers"],
    rows.map((r) => [r.policy, r.tenant, r.step, pct(r.answered), ms(r.p95)]),
  );
}

/** Breaker openings, and whether the ordinary client kept its answers while another asked for impossible deadlines. */
export function shortDeadlineCheck(rows: readonly TenantRow[], run: OverloadRun, client: string): string {
  const mine = rows.filter((r) => r.tenant === client);
  const worst = Math.min(...mine.map((r) => r.answered));
  const first = mine[0]?.answered ?? 0;
  const ok = run.breakerOpens.length === 0 && worst >= first - 0.05;
  return (
    `${ok ? "ok  " : "FAIL"} ${run.breakerOpens.length} breaker openings; client ${client}'s answers in time stay between ` +
    `${pct(worst)} and ${pct(Math.max(...mine.map((r) => r.answered)))} (${pct(first)} alone); wanted no openings and no loss`
  );
}

/**
 * The quiet tenant's p95 with the other's burst against its p95 without it
 * (the measure), beside its share answered in time (a p95 of fewer
 * answers would flatter it).
 */
export function fairnessCheck(rows: readonly TenantRow[], quiet: string): string {
  const [before, during] = rows.filter((r) => r.tenant === quiet);
  if (!before || !during) return "FAIL no rows for the quiet tenant";
  const change = during.p95 / before.p95 - 1;
  return (
    `${change <= 0.2 ? "ok  " : "FAIL"} tenant ${quiet}'s p95 goes from ${ms(before.p95)} to ${ms(during.p95)} ms (${change >= 0 ? "+" : ""}${pct(change)}) ` +
    `when the other sends 5x its rate (wanted within +20%); its answers in time go from ${pct(before.answered)} to ${pct(during.answered)}`
  );
}
