import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { alignTable } from "../table.js";

/** The parts of a V8 .cpuprofile the summary reads. */
interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string } }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a share of the CPU went: a package, a Node internal module, our own package, or the VM (GC, idle). */
export interface ProfileShare {
  readonly area: string;
  /** Share of the busy samples (idle left out). */
  readonly share: number;
}

/**
 * The largest profile in `dir` (the main thread's: a loader thread can write a small one beside it), its
 * samples after `skipMs` (start-up and warm-up) attributed by self time to areas: `node_modules` packages,
 * `node:` modules, the repository's own packages (`libs/core`, `apps/pool`…), native calls by name and the
 * VM's own entries ("(garbage collector)").
 */
export function summarizeProfile(dir: string, skipMs: number): ProfileShare[] {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const areaOf = new Map(profile.nodes.map((n) => [n.id, area(n.callFrame)]));
  const totals = new Map<string, number>();
  let at = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const from = at;
    at += dt;
    const name = areaOf.get(id) ?? "?";
    if (from < skipMs * 1000 || name === "(idle)") return;
    totals.set(name, (totals.get(name) ?? 0) + dt);
    busy += dt;
  });
  return [...totals].map(([name, t]) => ({ area: name, share: t / busy })).sort((a, b) => b.share - a.share);
}

function area(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : `native ${functionName}`;
  if (url.startsWith("node:")) return url.split("/").slice(0, 3).join("/");
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = url.slice(nm + "node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const own = /\/(apps|libs|tools)\/([^/]+)\//.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

/** The first `top` areas as a table. */
export function formatProfile(shares: readonly ProfileShare[], top = 25): string {
  return alignTable(["area (self time)", "share of busy CPU"], shares.slice(0, top).map((s) => [s.area, `${(s.share * 100).toFixed(1)}%`]));
}
