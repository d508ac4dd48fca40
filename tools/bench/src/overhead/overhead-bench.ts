import { availableParallelism } from "node:os";
import { tally } from "../table.js";
import { LatencyRecording, type LatencyPercentiles } from "./latency-recording.js";
import { addCounts, closedLoop, fixedRate, type LoadResult } from "./load-run.js";
import { pinSelf } from "./pinned-process.js";
import { cpuMs, memory, sampleRss } from "./process-stats.js";
import { rawConnections } from "./raw-http-connection.js";
import { startOverheadWorld, type EngineSpeed, type OverheadTarget, type OverheadWorld } from "./overhead-world.js";

export interface OverheadBenchOptions {
  /** Length of one measurement, ms (default 2000); each configuration is measured `rounds` times. */
  readonly durationMs?: number;
  /** Rounds over every target in turn (default 5), so the machine's load drifts over all of them alike. */
  readonly rounds?: number;
  /** Fixed rates of the sweep, req/s, ascending (default 100 … 5000); it stops at the first rate past the knee. */
  readonly rates?: readonly number[];
  /** Profile the pool: it runs with `--cpu-prof` into this folder; the report says where measuring began. */
  readonly profileDir?: string;
}

/** One target at one load, every round merged. */
export interface LoadRow {
  readonly target: OverheadTarget["name"];
  readonly speed: EngineSpeed;
  readonly connections: number;
  readonly requests: number;
  readonly errors: number;
  /** `errors` by HTTP status, failed exchanges under "failed" (LoadResult.errorsByStatus), every round merged. */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  /** Answers per second. */
  readonly throughput: number;
  readonly latency: LatencyPercentiles;
  /** The target process's own CPU time (user + system) per answer, ms. */
  readonly cpuMsPerRequest: number;
}

/** One target at one fixed rate (open loop, latency from when each request was due). */
export interface SweepRow {
  readonly target: OverheadTarget["name"];
  readonly speed: EngineSpeed;
  readonly rate: number;
  readonly achieved: number;
  readonly latency: LatencyPercentiles;
  readonly errors: number;
  /** `errors` by HTTP status, failed exchanges under "failed" (LoadResult.errorsByStatus). */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  /** Requests still owed when the run ended. */
  readonly unfinished: number;
  /** Past the knee: it did not keep up (see `keepsUp`). */
  readonly saturated: boolean;
  readonly cpuMsPerRequest: number;
}

export interface MemoryFigures {
  /** The process's RSS once started, before any request, bytes. */
  readonly idleRss: number;
  /** The largest RSS sampled while it was under load, bytes. */
  readonly loadRss: number;
}

export interface OverheadReport {
  readonly pinning: { readonly servers: string | undefined; readonly mock: string | undefined; readonly generator: string | undefined };
  readonly durationMs: number;
  readonly rounds: number;
  readonly loads: readonly LoadRow[];
  readonly sweep: readonly SweepRow[];
  readonly memory: { readonly pool: MemoryFigures; readonly forwarder: MemoryFigures };
  /** With a profile: ms from the pool's start to the first measured request (start-up and warm-up before it). */
  readonly profileSkipMs?: number;
}

const CONNECTIONS = [1, 50] as const;
const SPEEDS: readonly EngineSpeed[] = ["instant", "50ms"];
const SWEEP_CONNECTIONS = 128;
const DEFAULT_RATES = [100, 200, 500, 1000, 1500, 2000, 3000, 5000];
/** A fixed-rate run keeps up when it answers everything it was asked, without errors, with a p99 under this. */
const KNEE_P99_MS = 100;
/** The rate at which the generator is checked against the engine's known 50 ms. */
const CHECK_RATE = 500;

/**
 * The pool's cost per request, measured against what it stands in front of (the mock engine alone) and against
 * the least a gateway can do (a bare Hono forwarder), in one run: closed loops at 1 and 50 connections with an
 * instant and a 50 ms engine, then a fixed-rate sweep to the knee; CPU per request and RSS from /proc.
 */
export async function overheadBench(options: OverheadBenchOptions = {}): Promise<OverheadReport> {
  const durationMs = options.durationMs ?? 2000;
  const rounds = options.rounds ?? 5;
  const cpus = placement();
  const restore = pinSelf(cpus.generator);
  const world = await startOverheadWorld({ serverCpus: cpus.servers, mockCpus: cpus.mock, ...(options.profileDir && { poolNodeFlags: ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`] }) });
  try {
    const idle = { pool: memory(world.pool.process.pid).rss, forwarder: memory(world.forwarder.process.pid).rss };
    const targets = [world.mock, world.forwarder, world.pool];
    for (const target of targets) for (const speed of SPEEDS) await warmUp(target, speed, Math.min(2000, durationMs));
    const measuredFrom = performance.now() - world.pool.process.spawnedAt;
    const rss = { pool: sampleRss(world.pool.process.pid), forwarder: sampleRss(world.forwarder.process.pid) };
    const loads = await closedLoops(targets, durationMs, rounds);
    const loadRss = { pool: Math.max(...rss.pool.stop()), forwarder: Math.max(...rss.forwarder.stop()) };
    const sweep = await sweepRates(world, options.rates ?? DEFAULT_RATES, durationMs);
    return {
      pinning: { servers: world.pool.process.cpus, mock: world.mock.process.cpus, generator: restore.pinned },
      durationMs,
      rounds,
      loads,
      sweep,
      memory: {
        pool: { idleRss: idle.pool, loadRss: loadRss.pool },
        forwarder: { idleRss: idle.forwarder, loadRss: loadRss.forwarder },
      },
      ...(options.profileDir && { profileSkipMs: measuredFrom }),
    };
  } finally {
    await world.close();
    restore.undo();
  }
}

/**
 * Where each process runs: the pool and the forwarder on CPU 0 (the figures are per core), the mock on CPU 1,
 * the load generator on CPU 2 when there is one, else beside the mock.
 */
function placement(): { servers: string; mock: string; generator: string } {
  const count = availableParallelism();
  if (count < 2) return { servers: "0", mock: "0", generator: "0" };
  return { servers: "0", mock: "1", generator: count >= 3 ? "2" : "1" };
}

/** Up to two seconds at 50 connections: the JIT has compiled the path before anything is measured. */
async function warmUp(target: OverheadTarget, speed: EngineSpeed, durationMs: number): Promise<void> {
  const connections = rawConnections(target.process.url, target.request(speed), 50);
  const result = await closedLoop(connections, durationMs);
  for (const c of connections) c.close();
  if (result.errors > 0) {
    throw new Error(`${target.name} failed ${tally(result.errors, result.errorsByStatus)} of ${result.completed} warm-up requests (${speed} engine)`);
  }
}

async function closedLoops(targets: readonly OverheadTarget[], durationMs: number, rounds: number): Promise<LoadRow[]> {
  const configs = SPEEDS.flatMap((speed) => CONNECTIONS.flatMap((connections) => targets.map((target) => ({ target, speed, connections }))));
  const merged = configs.map(() => ({ latency: new LatencyRecording(), requests: 0, errors: 0, errorsByStatus: {} as Record<string, number>, elapsedMs: 0, cpuMs: 0 }));
  for (let round = 0; round < rounds; round++) {
    await resetMock(targets);
    for (const [i, { target, speed, connections }] of configs.entries()) {
      const open = rawConnections(target.process.url, target.request(speed), connections);
      const measured = await withCpu(target, () => closedLoop(open, durationMs));
      for (const c of open) c.close();
      const into = merged[i]!;
      into.latency.addAll(measured.result.latency);
      into.requests += measured.result.completed;
      into.errors += measured.result.errors;
      addCounts(into.errorsByStatus, measured.result.errorsByStatus);
      into.elapsedMs += measured.result.elapsedMs;
      into.cpuMs += measured.cpuMs;
    }
  }
  return configs.map(({ target, speed, connections }, i) => {
    const m = merged[i]!;
    return {
      target: target.name,
      speed,
      connections,
      requests: m.requests,
      errors: m.errors,
      errorsByStatus: m.errorsByStatus,
      throughput: m.elapsedMs > 0 ? (m.requests / m.elapsedMs) * 1000 : 0,
      latency: m.latency.summary(),
      cpuMsPerRequest: m.requests > 0 ? m.cpuMs / m.requests : Number.NaN,
    };
  });
}

/**
 * The generator checked first: the 50 ms engine alone at a fixed rate must read 50 ms. Then the forwarder and
 * the pool at rising fixed rates on the instant engine, each until its knee.
 */
async function sweepRates(world: OverheadWorld, rates: readonly number[], durationMs: number): Promise<SweepRow[]> {
  const rows = [await atRate(world.mock, "50ms", CHECK_RATE, durationMs)];
  for (const target of [world.forwarder, world.pool]) {
    for (const rate of rates) {
      const row = await atRate(target, "instant", rate, durationMs);
      rows.push(row);
      if (row.saturated) break;
    }
  }
  return rows;
}

async function atRate(target: OverheadTarget, speed: EngineSpeed, rate: number, durationMs: number): Promise<SweepRow> {
  const open = rawConnections(target.process.url, target.request(speed), SWEEP_CONNECTIONS);
  const { result, cpuMs } = await withCpu(target, () => fixedRate(open, { rate, durationMs, drainMs: 2000 }));
  for (const c of open) c.close();
  return {
    target: target.name,
    speed,
    rate,
    achieved: result.elapsedMs > 0 ? (result.completed / result.elapsedMs) * 1000 : 0,
    latency: result.latency.summary(),
    errors: result.errors,
    errorsByStatus: result.errorsByStatus,
    unfinished: result.unfinished,
    saturated: !keepsUp(result),
    cpuMsPerRequest: result.completed > 0 ? cpuMs / result.completed : Number.NaN,
  };
}

/** Everything answered, nothing failed, and a p99 (from when each request was due) under KNEE_P99_MS. */
export function keepsUp(result: LoadResult): boolean {
  return result.unfinished === 0 && result.errors === 0 && result.latency.percentile(0.99) <= KNEE_P99_MS;
}

/** The mock engine keeps a record of every request; cleared between rounds so its memory stays flat. */
async function resetMock(targets: readonly OverheadTarget[]): Promise<void> {
  const mock = targets.find((t) => t.name === "mock");
  if (mock) await fetch(`${mock.process.url}/__mock/reset`, { method: "POST" });
}

async function withCpu<T>(target: OverheadTarget, run: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = cpuMs(target.process.pid);
  const result = await run();
  return { result, cpuMs: cpuMs(target.process.pid) - before };
}
