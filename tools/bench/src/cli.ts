// The benchmark: `npm run bench -- [overhead|sim|strategies|weighted|overload|gateway|all] [--requests N] [--seed S]
// [--time-scale X] [--deadline MS] [--breakers] [--no-live] [--duration MS] [--rounds N] [--rates A,B,…] [--rate R] [--profile DIR]`. overhead measures
// the pool's cost per request against the mock engine alone and a bare forwarder, each in its own pinned process
// (about 3 minutes); memory sends a million requests at 500 req/s through the pool and samples its RSS and heap
// (--requests, --rate; not part of `all`: over half an hour). sim runs the shipped FASTEST's hedging modes through the pool over simulated
// engines on a virtual clock (deterministic, about a minute); strategies runs the real ensemble's five strategies side by side against mock engines (under a minute),
// then weighted (also alone): WEIGHTED's learning when its leader degrades, on a virtual clock (a few seconds);
// refusal measures the real and CPU time of refusals by admission alone, one after another (--requests: how many; under a minute);
// overload runs the pool under 0.5x-3x load, a tenant's burst and short-deadline clients, under the rules before outcome
// classes and admission and under today's (the simulator in seconds, then the mock engine over HTTP in about ten minutes;
// --no-live skips the latter);
// gateway measures one pool through the NGINX gateway and directly (needs nginx; not part of `all`).
// Hedging tables compare each mode with the no-hedge baseline, strategy tables each strategy with FASTEST.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { gatewayBench } from "./gateway/gateway-bench.js";
import { formatGatewayTable } from "./gateway/gateway-report.js";
import { writeJsonReport } from "./json-report.js";
import { memoryBench } from "./pool-runs/memory-bench.js";
import { overheadBench } from "./overhead/overhead-bench.js";
import { buildPool } from "./overhead/pool-build.js";
import { formatOverhead, OVERHEAD_LEGEND, overheadTargets } from "./overhead/overhead-report.js";
import { formatProfile, summarizeProfile } from "./overhead/profile-summary.js";
import { cacheBench } from "./pool-runs/cache-bench.js";
import { faultsBench } from "./pool-runs/faults-bench.js";
import { formatCacheReport, formatFaultsReport, formatMemoryDrift } from "./pool-runs/pool-run-report.js";
import { formatTable } from "./report.js";
import { simBench, type BenchSection } from "./sim/sim-bench.js";
import { strategyBench, type StrategySection } from "./strategies/strategy-bench.js";
import { formatCostTable, formatDecisionTable } from "./strategies/strategy-report.js";
import { formatDriftTable, weightedDrift } from "./strategies/weighted-drift.js";
import { overloadBench } from "./overload/overload-bench.js";
import { formatRefusalReport, refusalBench } from "./overload/refusal-bench.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: "string" },
    seed: { type: "string" },
    "time-scale": { type: "string" },
    deadline: { type: "string" },
    breakers: { type: "boolean" },
    "no-live": { type: "boolean" },
    duration: { type: "string" },
    rounds: { type: "string" },
    rates: { type: "string" },
    rate: { type: "string" },
    profile: { type: "string" },
  },
});

const what = positionals[0] ?? "all";
if (!["overhead", "memory", "cache", "faults", "sim", "strategies", "weighted", "overload", "refusal", "gateway", "all"].includes(what)) {
  console.error(`unknown mode ${what}: use overhead, memory, cache, faults, sim, strategies, weighted, overload, refusal, gateway or all`);
  process.exit(2);
}
const requests = values.requests === undefined ? undefined : Number(values.requests);
const seed = values.seed === undefined ? undefined : Number(values.seed);
const timeScale = values["time-scale"] === undefined ? undefined : Number(values["time-scale"]);
const deadlineMs = values.deadline === undefined ? undefined : Number(values.deadline);
const durationMs = values.duration === undefined ? undefined : Number(values.duration);
const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
const rates = values.rates === undefined ? undefined : values.rates.split(",").map(Number);
const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim();

function print(sections: readonly BenchSection[], ms: number): void {
  for (const s of sections) console.log(`\n## ${s.title}\n${s.subtitle}\n\n${formatTable(s.rows)}`);
  console.log(`\n(${Math.round(ms)} ms)`);
}

function printStrategies(sections: readonly StrategySection[], ms: number): void {
  for (const s of sections) {
    console.log(`\n## ${s.title}\n${s.subtitle}\n\n${formatCostTable(s.rows)}\n\n${formatDecisionTable(s.rows)}`);
  }
  console.log(`\n(${Math.round(ms)} ms)`);
}

// The modes that run the pool as a process run the build the container ships.
if (["overhead", "memory", "cache", "faults", "all"].includes(what)) buildPool();
if (what === "overhead" || what === "all") {
  console.log(OVERHEAD_LEGEND);
  const t0 = performance.now();
  // Each profiled run in its own subfolder, so the summary reads this run's profile.
  const profileDir = values.profile === undefined ? undefined : resolve(values.profile, new Date().toISOString().replace(/[:.]/g, "-"));
  const report = await overheadBench({
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(rounds === undefined ? {} : { rounds }),
    ...(rates === undefined ? {} : { rates }),
    ...(profileDir === undefined ? {} : { profileDir }),
  });
  const targets = overheadTargets(report);
  console.log(`\n${formatOverhead(report, targets)}`);
  if (profileDir !== undefined) {
    console.log(`\n## Overhead: where the pool's CPU went (${profileDir})\n\n${formatProfile(summarizeProfile(profileDir, report.profileSkipMs ?? 0))}`);
  }
  console.log(`report: ${writeJsonReport("overhead", command, { ...report, targets })}\n(${Math.round(performance.now() - t0)} ms)`);
}
if (what === "memory") {
  const t0 = performance.now();
  const report = await memoryBench({
    ...(requests === undefined ? {} : { requests }),
    ...(values.rate === undefined ? {} : { rate: Number(values.rate) }),
  });
  console.log(formatMemoryDrift(report));
  console.log(`report: ${writeJsonReport("memory", command, report)}\n(${Math.round(performance.now() - t0)} ms)`);
}
if (what === "cache" || what === "all") {
  const t0 = performance.now();
  const report = await cacheBench(timeScale === undefined ? {} : { timeScale });
  console.log(`\n${formatCacheReport(report)}`);
  console.log(`report: ${writeJsonReport("cache", command, report)}\n(${Math.round(performance.now() - t0)} ms)`);
}
if (what === "faults" || what === "all") {
  const t0 = performance.now();
  const report = await faultsBench({ ...(requests === undefined ? {} : { queries: requests }), ...(seed === undefined ? {} : { seed }) });
  console.log(`\n${formatFaultsReport(report)}`);
  console.log(`report: ${writeJsonReport("faults", command, report)}\n(${Math.round(performance.now() - t0)} ms)`);
}
if (what === "sim" || what === "all") {
  console.log(
    "\nsim: the pool's own orchestrator, FASTEST, breakers, hedge budget and engine queues over simulated engines timed\n" +
      "in tokens, on a virtual clock. p50/p95/p99: ms to a valid answer (a failed query counts at its deadline); failed:\n" +
      "no answer; extra calls: engine calls beyond one per query; denied: hedges the budget refused; opens: breakers\n" +
      "opened; x: ratio to the first row (no hedge: the same FASTEST with an empty hedge budget).",
  );
  const t0 = performance.now();
  print(await simBench({ ...(requests === undefined ? {} : { requests }), ...(seed === undefined ? {} : { seed }) }), performance.now() - t0);
}
if (what === "strategies" || what === "all") {
  console.log(
    "\nstrategies: the real ensemble (createEnsemble, Ollama drivers, engine queue) against mock engines over HTTP.\n" +
      "p50/p95/p99: ms to an answer (a failed query counts at its deadline); failed: no answer; timeouts: of which\n" +
      "deadline_exceeded; calls/q: engine calls started per query, cancelled ones and the judge's included;\n" +
      "tokens/q: prompt + completion tokens the engines reported (cancelled calls report none), judge included;\n" +
      "early quorum: queries VOTING/CONSENSUS decided before every candidate finished; x: ratio to FASTEST.\n" +
      "fell back: queries that left the requested strategy; reason columns: queries with that hand-over;\n" +
      "refused / cut: of the queries that fell back, those with a candidate its engine refused (saturated) / cut\n" +
      "short by its window or the deadline (timeout); decided by: the strategy that answered in the end (none: failed).",
  );
  const t0 = performance.now();
  const sections = await strategyBench({
    ...(requests === undefined ? {} : { requests }),
    ...(seed === undefined ? {} : { seed }),
    ...(timeScale === undefined ? {} : { timeScale }),
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
    ...(values.breakers ? { breakers: true } : {}),
  });
  printStrategies(sections, performance.now() - t0);
}
if (what === "strategies" || what === "weighted" || what === "all") {
  console.log(
    "\nweighted: WEIGHTED when its leader degrades for queries 100-199 of 300, then recovers: two providers on idle\n" +
      "engines (20-300 ms; weights 1 and 0.8), one query after another through the real ensemble on a virtual clock,\n" +
      "deadline 2500 ms. moved after / back after: queries from the degradation / recovery until WEIGHTED answered with\n" +
      "the rival / the leader for good (never: not by the end of the phase); explored: queries that explored (one in 20\n" +
      "by request id); paid: exploring queries that answered after their winner's answer had arrived.",
  );
  const t0 = performance.now();
  const rows = await weightedDrift({ ...(seed === undefined ? {} : { seed }) });
  console.log(`\n## weighted: a degrading leader\n\n${formatDriftTable(rows)}\n\n(${Math.round(performance.now() - t0)} ms)`);
}
if (what === "overload" || what === "all") {
  console.log(
    "\noverload: the pool's own orchestrator, FASTEST, breakers, engine queue and providers, on the simulated Mac mini and\n" +
      "against the mock engine. goodput/cap: answers within their deadline per second over the engine's capacity;\n" +
      "answered: share of queries answered in time; refused: 429 at once (admission); refusal p50/p99: real ms the pool\n" +
      "took to refuse (live only); admitted p99: ms to answer or error of the queries not refused; late 429: refused when\n" +
      "their turn in the queue came too late; 504/503: admitted queries that timed out / found no provider; opens: breakers\n" +
      "that opened; limit: the engine's learned concurrency.\n" +
      "before: the rules before outcome classes and admission, on today's code (max_concurrency 1, slow_factor 0:\n" +
      "every timeout counts, open_ms 5 min, one queue for all); now: the shipped defaults (limit learned up to\n" +
      "max_concurrency 2, outcome classes, openings from 5 s growing to 5 min, fair share by tenant); max 8:\n" +
      "max_concurrency 8, fixed or learned.",
  );
  const t0 = performance.now();
  const sections = await overloadBench({
    live: !values["no-live"],
    ...(timeScale === undefined ? {} : { timeScale }),
  });
  for (const s of sections) console.log(`\n## ${s.title}\n${s.subtitle}\n\n${s.table}\n\n${s.checks.join("\n")}`);
  console.log(`\n(${Math.round(performance.now() - t0)} ms)`);
}
if (what === "refusal") {
  const t0 = performance.now();
  const report = await refusalBench({ ...(requests === undefined ? {} : { refusals: requests }) });
  console.log(
    "\n## refusal: queries refused by admission one after another, nothing else running in the pool's process\n" +
      "(its orchestrator, FASTEST and providers over a mock engine whose slots and queue are full; time from the call to the 429)\n",
  );
  console.log(`${formatRefusalReport(report)}\nreport: ${writeJsonReport("refusal", command, report)}\n(${Math.round(performance.now() - t0)} ms)`);
}
if (what === "gateway") {
  const t0 = performance.now();
  const section = await gatewayBench({ ...(requests === undefined ? {} : { requests }) });
  console.log(`\n## ${section.title}\n${section.subtitle}\n\n${formatGatewayTable(section.rows)}`);
  console.log(`\n(${Math.round(performance.now() - t0)} ms)`);
}
