import { create } from "@bufbuild/protobuf";
import { QuerySchema, Task, type Query } from "@llm-pool/contract";
import { PoolError, type Orchestrator } from "@llm-pool/core";
import { BreakerBoard } from "@llm-pool/qos";
import { summarize, type LatencySummary } from "../stats.js";
import { alignTable } from "../table.js";
import { describeMachine, watchMachine, type MachineLoad } from "./machine-watch.js";
import { withLivePool } from "./overload-live.js";
import { NEW_POLICY } from "./overload-policy.js";
import { poolOrchestrator } from "./overload-run.js";
import { loadRamp } from "./overload-scenario.js";

export interface RefusalBenchOptions {
  /** Refusals to measure. Default 2000. */
  readonly refusals?: number;
}

/** The real and CPU time the pool took per refusal, in ms. */
export interface RefusalReport {
  readonly refusals: number;
  readonly wallMs: LatencySummary;
  readonly cpuMs: LatencySummary;
  readonly machine: MachineLoad;
}

/**
 * Real time slowed five-fold on both sides: an answer of the modelled Mac mini
 * then holds its slot about two real seconds, a long window of saturation.
 */
const TIME_SCALE = 5;
/** Queries that fill the engine's two slots and its queue, so the next ones are refused. */
const FILL = 6;
/** The scenario's 1.2 s deadline, as the overload bench's clients send it. */
const DEADLINE_MS = loadRamp().deadlineMs;
/** A query not settled this many real ms after it was sent was admitted: the window of saturation is over. */
const ADMITTED_AFTER_MS = 50;

/**
 * Refusals by deadline-aware admission (R-QOS-5) in isolation: the pool's own
 * orchestrator, FASTEST and providers (as the overload bench wires them, the
 * shipped defaults) over a mock engine whose slots and queue are full, sent
 * one after another with nothing else running in this process, each measured
 * from the call to its refusal in real time and in this process's CPU time.
 * Then the engine drains and is filled again, until enough were measured.
 * The CPU time is the pool's cost; the real time adds the wait for a CPU.
 */
export async function refusalBench(options: RefusalBenchOptions = {}): Promise<RefusalReport> {
  const wanted = options.refusals ?? 2000;
  return withLivePool(loadRamp(), NEW_POLICY, TIME_SCALE, async (pool) => {
    const orchestrator = poolOrchestrator(pool, new BreakerBoard(pool.config.breaker, pool.clock));
    const query = (i: number) => create(QuerySchema, { task: Task.EXPAND_QUERIES, prompt: `query ${i}`, deadlineMs: DEADLINE_MS, tenantId: "a" });
    // Answers first, so the engine's queue knows the models' typical times and can forecast.
    for (let i = 0; i < FILL; i++) await orchestrator.infer(query(i), { signal: new AbortController().signal });
    const machine = watchMachine();
    const wall: number[] = [];
    const cpu: number[] = [];
    while (wall.length < wanted) {
      const admitted = Array.from({ length: FILL }, (_, i) => settled(orchestrator, query(i)));
      for (;;) {
        const sent = settled(orchestrator, query(wall.length));
        const outcome = await Promise.race([sent, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ADMITTED_AFTER_MS))]);
        if (outcome?.code !== "resource_exhausted") {
          admitted.push(sent);
          break;
        }
        wall.push(outcome.wallMs);
        cpu.push(outcome.cpuMs);
        if (wall.length >= wanted) break;
      }
      await Promise.all(admitted);
    }
    return { refusals: wall.length, wallMs: summarize(wall), cpuMs: summarize(cpu), machine: machine.stop() };
  });
}

/** One query through the orchestrator: its code, and the real and CPU ms from the call to its end. */
function settled(orchestrator: Orchestrator, query: Query): Promise<{ code: string; wallMs: number; cpuMs: number }> {
  const signal = new AbortController().signal;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const end = (code: string) => {
    const wallMs = performance.now() - wallStart;
    const used = process.cpuUsage(cpuStart);
    return { code, wallMs, cpuMs: (used.user + used.system) / 1000 };
  };
  return orchestrator.infer(query, { signal }).then(
    () => end("ok"),
    (error: unknown) => end(error instanceof PoolError ? error.code : "internal"),
  );
}

/** The target of docs/QOS.md: refused requests are refused in at most 5 ms. */
const TARGET_MS = 5;

/** The table, the machine's load and the check against the target. */
export function formatRefusalReport(report: RefusalReport): string {
  const row = (what: string, s: LatencySummary) => [what, s.p50.toFixed(3), s.p95.toFixed(3), s.p99.toFixed(3), s.mean.toFixed(3)];
  const table = alignTable(["per refusal", "p50", "p95", "p99", "mean"], [row("real ms", report.wallMs), row("CPU ms", report.cpuMs)]);
  const ok = report.wallMs.p99 <= TARGET_MS ? "ok  " : "FAIL";
  return (
    `${report.refusals} refusals; ${describeMachine(report.machine)}\n\n${table}\n\n` +
    `${ok} refusals take at most ${report.wallMs.p99.toFixed(2)} ms of real time at p99 and ${report.cpuMs.p99.toFixed(2)} ms of the process's CPU time; wanted <= ${TARGET_MS} ms of real time`
  );
}
