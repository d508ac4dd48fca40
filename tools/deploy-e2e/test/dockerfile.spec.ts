// R-DEP-1: deploy/Dockerfile, checked statically (no Docker engine runs on these machines).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../src/index.js";
import { cachedTool, runIn } from "./deploy-tools.js";

interface Instruction {
  readonly stage: number;
  readonly op: string;
  readonly args: string;
}

/** The Dockerfile as instructions (continuation lines joined, comments dropped), each with its stage index. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, " ").split("\n");
  const out: Instruction[] = [];
  let stage = -1;
  for (const line of joined) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(trimmed)!;
    if (op!.toUpperCase() === "FROM") stage++;
    out.push({ stage, op: op!.toUpperCase(), args: args!.trim() });
  }
  return out;
}

const dockerfile = readFileSync(join(REPO_ROOT, "deploy/Dockerfile"), "utf8");
const steps = instructions(dockerfile);
const finalStage = Math.max(...steps.map((s) => s.stage));
const inFinal = (op: string) => steps.filter((s) => s.stage === finalStage && s.op === op);
const cmd = JSON.parse(inFinal("CMD").at(-1)!.args) as string[];
const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");

describe("deploy/Dockerfile (R-DEP-1)", () => {
  it("R-DEP-1: passes hadolint", async () => {
    const result = await runIn(cachedTool("hadolint"), ["--no-color", "deploy/Dockerfile"]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("R-DEP-1: is multi-stage, every stage on one base image pinned to an exact Node release", () => {
    const bases = steps.filter((s) => s.op === "FROM").map((s) => s.args.split(/\s+/)[0]!);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    expect(new Set(bases).size).toBe(1);
    expect(bases[0]).toMatch(/^node:20\.\d+\.\d+-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/);
  });

  it("R-DEP-1: every file it copies from the build context exists and is not excluded by its .dockerignore", () => {
    const ignored = readFileSync(join(REPO_ROOT, "deploy/Dockerfile.dockerignore"), "utf8")
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("#"));
    const sources = steps
      .filter((s) => s.op === "COPY" && !s.args.startsWith("--from="))
      .flatMap((s) => s.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
      for (const pattern of ignored) {
        const top = pattern.replace(/^\*\*\//, "");
        expect(source === top || source.startsWith(`${top}/`) || source.split("/").includes(top), `${source} vs ${pattern}`).toBe(false);
      }
    }
  });

  it("R-DEP-1: installs the production dependencies of the server and of every workspace library it uses", () => {
    const pkg = (dir: string) =>
      JSON.parse(readFileSync(join(REPO_ROOT, dir, "package.json"), "utf8")) as { name: string; dependencies?: Record<string, string> };
    const dirOf = (name: string) => (name === "@llm-pool/pool" ? "apps/pool" : `libs/${name.slice("@llm-pool/".length)}`);
    const needed = new Set<string>();
    const visit = (name: string) => {
      if (needed.has(name)) return;
      needed.add(name);
      for (const dep of Object.keys(pkg(dirOf(name)).dependencies ?? {})) if (dep.startsWith("@llm-pool/")) visit(dep);
    };
    visit("@llm-pool/pool");
    const copied = steps
      .filter((s) => s.stage === 0 && s.op === "COPY")
      .flatMap((s) => s.args.split(/\s+/).slice(0, -1))
      .filter((p) => p.endsWith("/package.json"))
      .map((p) => p.slice(0, -"/package.json".length));
    expect(new Set(copied)).toEqual(new Set([...needed].map(dirOf)));
    const install = steps.find((s) => s.stage === 0 && s.op === "RUN")!.args;
    expect(install).toMatch(/npm ci --omit=dev --workspace=@llm-pool\/pool/);
  });

  it("R-DEP-1: runs as a non-root user, by number", () => {
    const user = inFinal("USER").at(-1)!.args;
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
  });

  it("R-DEP-1: has a HEALTHCHECK that asks the pool's /healthz", () => {
    const check = inFinal("HEALTHCHECK").at(-1)!.args;
    expect(check).toMatch(/CMD \["node", "deploy\/healthcheck\.mjs"\]$/);
    expect(inFinal("ENV").map((e) => e.args).join(" ")).toMatch(/LLMPOOL_PROBE_URL=http:\/\/127\.0\.0\.1:7070\/healthz/);
  });

  it("R-DEP-1: starts the command the README documents: the compiled apps/pool/src/cli.ts, the CLI a clone runs", () => {
    expect(readme).toContain(`\n${cmd.join(" ")}\n`);
    const json = (path: string) => JSON.parse(readFileSync(join(REPO_ROOT, path), "utf8")) as { compilerOptions: Record<string, string> };
    const outDir = json("apps/pool/tsconfig.json").compilerOptions.outDir;
    expect(json("apps/pool/tsconfig.build.json").compilerOptions.rootDir).toBe("src");
    expect(cmd.slice(0, 2)).toEqual(["node", `apps/pool/${outDir}/cli.js`]);
    expect(existsSync(join(REPO_ROOT, "apps/pool/src/cli.ts"))).toBe(true);
    // The clone's `npx llm-pool` runs the same file from source (through tsx).
    const bin = (JSON.parse(readFileSync(join(REPO_ROOT, "apps/pool/package.json"), "utf8")) as { bin: Record<string, string> }).bin;
    expect(readFileSync(join(REPO_ROOT, "apps/pool", bin["llm-pool"]!), "utf8")).toContain('"../src/cli.ts"');
    expect(readme).toContain("npx llm-pool serve --config ");
    expect(cmd.slice(2)).toEqual(["serve", "--config", "/app/config/llm-pool.toml"]);
  });
});
