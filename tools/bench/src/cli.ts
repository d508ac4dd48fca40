// The hedging benchmark (R-QOS-3): `npm run bench -- [sim|live|all] [--requests N] [--seed S] [--time-scale X]`.
// sim runs the seeded simulator on a virtual clock (deterministic, a few seconds); live runs real HTTP against
// mock engines in scaled real time (about a minute). Tables compare each mode with the no-hedge baseline.
import { parseArgs } from "node:util";
import { liveBench } from "./live/live-bench.js";
import { formatTable } from "./report.js";
import { simBench, type BenchSection } from "./sim/sim-bench.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: "string" },
    seed: { type: "string" },
    "time-scale": { type: "string" },
  },
});

const what = positionals[0] ?? "all";
if (!["sim", "live", "all"].includes(what)) {
  console.error(`unknown mode ${what}: use sim, live or all`);
  process.exit(2);
}
const requests = values.requests === undefined ? undefined : Number(values.requests);
const seed = values.seed === undefined ? undefined : Number(values.seed);
const timeScale = values["time-scale"] === undefined ? undefined : Number(values["time-scale"]);

function print(sections: readonly BenchSection[], ms: number): void {
  for (const s of sections) console.log(`\n## ${s.title}\n${s.subtitle}\n\n${formatTable(s.rows)}`);
  console.log(`\n(${Math.round(ms)} ms)`);
}

console.log(
  "p50/p95/p99: ms to a valid answer (a failed query counts at its deadline); failed: timed out or unavailable;\n" +
    "extra calls: upstream calls beyond one per query; denied: hedges the budget refused; opens: breakers opened;\n" +
    "x: ratio to the first row (no hedge).",
);
if (what === "sim" || what === "all") {
  const t0 = performance.now();
  print(simBench({ ...(requests === undefined ? {} : { requests }), ...(seed === undefined ? {} : { seed }) }), performance.now() - t0);
}
if (what === "live" || what === "all") {
  const t0 = performance.now();
  const sections = await liveBench({
    ...(requests === undefined ? {} : { requests }),
    ...(seed === undefined ? {} : { seed }),
    ...(timeScale === undefined ? {} : { timeScale }),
  });
  print(sections, performance.now() - t0);
}
