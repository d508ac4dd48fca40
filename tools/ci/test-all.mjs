#!/usr/bin/env node
// Runs every test suite of every language and ends with one plain line,
// `N passed, N failed`, that sums them (CI reads that line). Suites:
// each TypeScript package's vitest (through Nx), pytest for the Python SDK,
// and cargo test for the Rust workspace. Exits non-zero if any suite fails.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
const reports = join(root, "reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(join(reports, "vitest"), { recursive: true });

const python = join(root, ".venv/bin/python");
const results = [];

function run(name, command, args, options = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const child = spawnSync(command, args, { cwd: root, stdio: options.capture ? ["ignore", "pipe", "inherit"] : "inherit", encoding: "utf8", env: { ...process.env, ...options.env } });
  if (options.capture) process.stdout.write(child.stdout ?? "");
  return child;
}

// The real engines the provider tests start (no-ops once built and cached).
for (const engine of ["ollama", "llama-server"]) {
  const install = run(`${engine} install`, "bash", [`tools/engines/${engine}.sh`, "install"]);
  if (install.status !== 0) results.push({ name: `${engine} install`, passed: 0, failed: 1, ok: false });
}

// TypeScript: every package with a test target, one at a time (2-core machines).
const nx = run("vitest (all TypeScript packages)", "npx", ["--no-install", "nx", "run-many", "-t", "test", "--parallel=1", "--outputStyle=stream"], {
  env: { NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false" },
});
let tsPassed = 0;
let tsFailed = 0;
for (const file of readdirSync(join(reports, "vitest"))) {
  const counts = vitestCounts(JSON.parse(readFileSync(join(reports, "vitest", file), "utf8")));
  tsPassed += counts.passed;
  tsFailed += counts.failed;
  for (const line of counts.notes) console.log(`not passed (${file}): ${line}`);
}
results.push({ name: "TypeScript (vitest)", passed: tsPassed, failed: tsFailed, ok: nx.status === 0 });

// Python SDK.
if (!existsSync(python)) {
  console.error(`missing ${python}: run 'npm run setup' first`);
  results.push({ name: "Python (pytest)", passed: 0, failed: 1, ok: false });
} else {
  const junit = join(reports, "pytest.xml");
  const py = run("pytest (sdk/python)", python, ["-m", "pytest", "sdk/python", "-q", `--junitxml=${junit}`]);
  const counts = existsSync(junit) ? junitCounts(readFileSync(junit, "utf8")) : { passed: 0, failed: 1 };
  results.push({ name: "Python (pytest)", ...counts, ok: py.status === 0 });
}

// Rust workspace.
const cargo = run("cargo test (Rust workspace)", "cargo", ["test", "--workspace", "--locked"], { capture: true });
let rsPassed = 0;
let rsFailed = 0;
// An ignored test is a test that did not pass: it counts as failed.
for (const m of (cargo.stdout ?? "").matchAll(/test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/g)) {
  rsPassed += Number(m[1]);
  rsFailed += Number(m[2]) + Number(m[3]);
}
results.push({ name: "Rust (cargo test)", passed: rsPassed, failed: rsFailed, ok: cargo.status === 0 });

console.log("\n=== summary");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name}: ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
// A suite that exited non-zero without a counted failure (a crash, a compile
// error) still counts as one failure, so the line can never read as green.
const failed = results.reduce((n, r) => n + (r.failed || (r.ok ? 0 : 1)), 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.every((r) => r.ok) && failed === 0 ? 0 : 1);

/** pytest's junit report: skipped tests did not pass, so they count as failed. */
function junitCounts(xml) {
  const suite = xml.match(/<testsuite\b[^>]*>/)?.[0] ?? "";
  const attr = (name) => Number(suite.match(new RegExp(`\\b${name}="(\\d+)"`))?.[1] ?? 0);
  const failed = attr("failures") + attr("errors") + attr("skipped");
  return { passed: attr("tests") - failed, failed };
}

/**
 * One package's vitest JSON report. Every test that did not pass counts as
 * failed: skipped, pending and todo tests, and the tests of a file whose
 * setup threw (a beforeAll that could not start Redis or an engine), which
 * vitest reports as pending, not failed. A file that failed with no test
 * counted at all (an import error) is one failure.
 */
function vitestCounts(report) {
  const notes = [];
  let passed = 0;
  let failed = 0;
  for (const file of report.testResults ?? []) {
    const assertions = file.assertionResults ?? [];
    const fileFailed = assertions.filter((a) => a.status !== "passed").length;
    passed += assertions.length - fileFailed;
    failed += fileFailed;
    for (const a of assertions) if (a.status !== "passed") notes.push(`${a.status}: ${a.fullName}`);
    if (file.status === "failed" && fileFailed === 0) {
      failed += 1;
      notes.push(`file failed: ${file.name}: ${(file.message ?? "").split("\n")[0]}`);
    }
  }
  return { passed, failed, notes };
}
