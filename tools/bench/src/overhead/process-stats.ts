import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second, in which /proc/PID/stat counts CPU time (usually 100). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/PID/stat (10 ms resolution). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks();
}

export interface MemorySample {
  /** Resident set size now, bytes. */
  readonly rss: number;
  /** The largest resident set size since the process started (VmHWM), bytes. */
  readonly peakRss: number;
}

/** Resident memory now and at its peak, from /proc/PID/status. */
export function memory(pid: number): MemorySample {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb("VmRSS"), peakRss: kb("VmHWM") };
}

/** Samples a process's RSS every `everyMs` until stopped; the largest sample is "RSS under load". */
export function sampleRss(pid: number, everyMs = 200): { stop(): number[] } {
  const samples: number[] = [memory(pid).rss];
  const timer = setInterval(() => {
    try {
      samples.push(memory(pid).rss);
    } catch {
      // The process is gone; the samples so far stand.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      samples.push(memory(pid).rss);
      return samples;
    },
  };
}
