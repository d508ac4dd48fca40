import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";

/** What the machine was doing while a live run measured real time. */
export interface MachineLoad {
  readonly cpus: number;
  /** One-minute load average when the run started and when it ended. */
  readonly loadAtStart: number;
  readonly loadAtEnd: number;
  /** Share of the machine's CPU time left idle during the run (Linux /proc/stat); undefined elsewhere. */
  readonly idleShare: number | undefined;
  /** Share the hypervisor gave to other machines (steal), likewise. */
  readonly stealShare: number | undefined;
  /** 99th percentile and worst delay of this process's event loop (the pool's), in ms. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

/**
 * Starts watching the machine for one live run; `stop` says how busy it was.
 * On shared cores a refusal that needs a fraction of a millisecond of CPU can
 * wait several milliseconds for one, so the live tables print this beside
 * the real times they measure.
 */
export function watchMachine(): { stop(): MachineLoad } {
  const cpus = availableParallelism();
  const loadAtStart = loadavg()[0]!;
  const ticksAtStart = cpuTicks();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  return {
    stop() {
      loop.disable();
      const ticksAtEnd = cpuTicks();
      const total = ticksAtStart && ticksAtEnd ? ticksAtEnd.total - ticksAtStart.total : 0;
      return {
        cpus,
        loadAtStart,
        loadAtEnd: loadavg()[0]!,
        idleShare: ticksAtStart && ticksAtEnd && total > 0 ? (ticksAtEnd.idle - ticksAtStart.idle) / total : undefined,
        stealShare: ticksAtStart && ticksAtEnd && total > 0 ? (ticksAtEnd.steal - ticksAtStart.steal) / total : undefined,
        loopDelayP99Ms: loop.percentile(99) / 1e6,
        loopDelayMaxMs: loop.max / 1e6,
      };
    },
  };
}

/** One line for a table's subtitle. */
export function describeMachine(load: MachineLoad): string {
  const idle =
    load.idleShare === undefined || load.stealShare === undefined
      ? ""
      : `, ${(load.idleShare * 100).toFixed(0)}% of the CPU time idle and ${(load.stealShare * 100).toFixed(0)}% stolen by the hypervisor`;
  return (
    `machine: ${load.cpus} CPUs, load average ${load.loadAtStart.toFixed(1)} at the start and ${load.loadAtEnd.toFixed(1)} at the end${idle}; ` +
    `the pool's event loop was delayed ${load.loopDelayP99Ms.toFixed(1)} ms at p99, ${load.loopDelayMaxMs.toFixed(0)} ms at worst`
  );
}

/** Summed CPU ticks (all, and idle + iowait) from /proc/stat, or undefined where there is none. */
function cpuTicks(): { total: number; idle: number; steal: number } | undefined {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
    const used = fields.slice(0, 8);
    return { total: used.reduce((sum, v) => sum + v, 0), idle: used[3]! + used[4]!, steal: used[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/** Merges the loads of several runs into one: the first start, the last end, the mean shares, the worst delays. */
export function mergeLoads(loads: readonly MachineLoad[]): MachineLoad | undefined {
  if (loads.length === 0) return undefined;
  const mean = (values: readonly (number | undefined)[]) => {
    const known = values.filter((v): v is number => v !== undefined);
    return known.length === 0 ? undefined : known.reduce((sum, v) => sum + v, 0) / known.length;
  };
  return {
    cpus: loads[0]!.cpus,
    loadAtStart: loads[0]!.loadAtStart,
    loadAtEnd: loads.at(-1)!.loadAtEnd,
    idleShare: mean(loads.map((l) => l.idleShare)),
    stealShare: mean(loads.map((l) => l.stealShare)),
    loopDelayP99Ms: Math.max(...loads.map((l) => l.loopDelayP99Ms)),
    loopDelayMaxMs: Math.max(...loads.map((l) => l.loopDelayMaxMs)),
  };
}
