import { describeMachine, mergeLoads } from "./machine-watch.js";
import { liveOverload } from "./overload-live.js";
import { ADAPTIVE_8, FIXED_8, NEW_POLICY, OLD_POLICY, type OverloadPolicy } from "./overload-policy.js";
import {
  fairnessCheck,
  formatStepTable,
  formatTenantTable,
  rampChecks,
  shortDeadlineCheck,
  stepRows,
  tenantRows,
  type StepRow,
  type TenantRow,
} from "./overload-report.js";
import type { OverloadRun } from "./overload-run.js";
import { drawOverloadQueries, loadRamp, shortDeadlines, tenantBurst, type OverloadScenario } from "./overload-scenario.js";
import { simulateOverload } from "./overload-sim.js";

export interface OverloadBenchOptions {
  /** Run against the mock engine over HTTP too (about 2 minutes). Default true. */
  readonly live?: boolean;
  /** Real time per scenario millisecond in the live runs. Default 0.5. */
  readonly timeScale?: number;
  /** Seconds of each load step in the simulator. Default 60 (ramp) and 120 (tenants). */
  readonly stepSeconds?: number;
}

/** One printed section: a table and the checks under it. */
export interface OverloadSection {
  readonly title: string;
  readonly subtitle: string;
  readonly table: string;
  readonly checks: readonly string[];
}

type Runner = (scenario: OverloadScenario, policy: OverloadPolicy) => Promise<OverloadRun>;

/**
 * Scenario seconds per step of the live runs. Long enough for the numbers
 * checked: a p99 of refusals from a few hundred, and a tenant's p95 from about
 * a hundred answers (with thirty, the simulator's own p95 moves by tens of
 * percent from one seed to the next, which would decide the fairness check).
 */
const LIVE_SECONDS = { ramp: 40, tenants: 120, attack: 20 } as const;

/**
 * The overload benchmark (R-QOS-4, R-QOS-5): offered load from 0.5x to 3x
 * the engine's capacity and back, one tenant sending five times another's
 * rate, and a client asking for deadlines shorter than the engine's answers,
 * each under the rules before outcome classes and admission and under the
 * shipped ones, side by side; then max_concurrency far above the engine's
 * slots, fixed and learned. All of it on the simulated Mac mini; all but the
 * last also against the mock engine over HTTP.
 */
export async function overloadBench(options: OverloadBenchOptions = {}): Promise<OverloadSection[]> {
  const live = options.live ?? true;
  const timeScale = options.timeScale ?? 0.5;
  const sim: Runner = (scenario, policy) => simulateOverload(scenario, policy, drawOverloadQueries(scenario));
  const sections: OverloadSection[] = [];
  const rampSeconds = options.stepSeconds ?? 60;
  const tenantSeconds = options.stepSeconds ?? 120;

  sections.push(await rampSection("sim", loadRamp(rampSeconds), [OLD_POLICY, NEW_POLICY], sim, false));
  sections.push(await tenantSection("sim", tenantBurst(tenantSeconds), sim));
  sections.push(await attackSection("sim", shortDeadlines(rampSeconds), sim));
  sections.push(await rampSection("sim", loadRamp(rampSeconds), [FIXED_8, ADAPTIVE_8], sim, false, "max_concurrency 8 on an engine of 2 slots"));
  if (live) {
    const runLive: Runner = (scenario, policy) => liveOverload(scenario, policy, timeScale);
    const where = `live, time_scale ${timeScale}`;
    sections.push(await rampSection(where, loadRamp(LIVE_SECONDS.ramp), [OLD_POLICY, NEW_POLICY], runLive, true));
    sections.push(await tenantSection(where, tenantBurst(LIVE_SECONDS.tenants), runLive));
    sections.push(await attackSection(where, shortDeadlines(LIVE_SECONDS.attack), runLive));
  }
  return sections;
}

async function rampSection(
  where: string,
  scenario: OverloadScenario,
  policies: readonly OverloadPolicy[],
  run: Runner,
  live: boolean,
  what = "offered load 0.5x to 3x capacity and back",
): Promise<OverloadSection> {
  const rows: StepRow[] = [];
  const checks: string[] = [];
  const runs: OverloadRun[] = [];
  for (const policy of policies) {
    const result = await run(scenario, policy);
    runs.push(result);
    const policyRows = stepRows(scenario, result);
    rows.push(...policyRows);
    checks.push(`${policy.label}:`, ...rampChecks(policyRows, scenario.deadlineMs, live).map((c) => `  ${c}`));
  }
  return {
    title: `overload (${where}): ${what}`,
    subtitle: subtitle(scenario, runs),
    table: formatStepTable(rows, live),
    checks,
  };
}

async function tenantSection(where: string, scenario: OverloadScenario, run: Runner): Promise<OverloadSection> {
  const rows: TenantRow[] = [];
  const checks: string[] = [];
  const runs: OverloadRun[] = [];
  for (const policy of [OLD_POLICY, NEW_POLICY]) {
    const result = await run(scenario, policy);
    runs.push(result);
    const policyRows = tenantRows(scenario, result);
    rows.push(...policyRows);
    checks.push(`${policy.label}:`, `  ${fairnessCheck(policyRows, "b")}`);
  }
  return {
    title: `overload (${where}): one tenant sends 5x another's rate`,
    subtitle: subtitle(scenario, runs),
    table: formatTenantTable(rows),
    checks,
  };
}

async function attackSection(where: string, scenario: OverloadScenario, run: Runner): Promise<OverloadSection> {
  const rows: TenantRow[] = [];
  const checks: string[] = [];
  const runs: OverloadRun[] = [];
  for (const policy of [OLD_POLICY, NEW_POLICY]) {
    const result = await run(scenario, policy);
    runs.push(result);
    const policyRows = tenantRows(scenario, result);
    rows.push(...policyRows);
    checks.push(`${policy.label}:`, `  ${shortDeadlineCheck(policyRows, result, "app")}`);
  }
  return {
    title: `overload (${where}): a client asks for deadlines shorter than the engine's answers`,
    subtitle: subtitle(scenario, runs),
    table: formatTenantTable(rows),
    checks,
  };
}

/** The scenario, its step length and seed; for live runs, how busy the machine was meanwhile. */
function subtitle(scenario: OverloadScenario, runs: readonly OverloadRun[]): string {
  const seconds = scenario.steps[0]?.seconds ?? 0;
  const machine = mergeLoads(runs.flatMap((r) => (r.machine ? [r.machine] : [])));
  return `${scenario.description}; ${seconds} s per step, seed ${scenario.seed}${machine ? `\n${describeMachine(machine)}` : ""}`;
}
