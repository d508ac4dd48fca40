// R-SDK-4: the drift check fails when proto/ changes without regeneration and
// passes again once the regenerated stubs are committed. It runs on a scratch
// copy of the working tree, so the real checkout is never touched.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = join(import.meta.dirname, "../../..");
let scratch: string;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: scratch, encoding: "utf8" });
}

function driftCheck(): { status: number | null; output: string } {
  const run = spawnSync("bash", ["tools/codegen/drift-check.sh"], { cwd: scratch, encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "llm-pool-drift-"));
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: repo,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    cpSync(join(repo, file), join(scratch, file), { dereference: false });
  }
  symlinkSync(join(repo, "node_modules"), join(scratch, "node_modules"));
  git("init", "-q");
  git("-c", "user.email=ci@llm-pool.invalid", "-c", "user.name=ci", "add", "-A");
  git("-c", "user.email=ci@llm-pool.invalid", "-c", "user.name=ci", "commit", "-qm", "scratch");
}, 60_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("drift check", () => {
  it("passes on the committed tree", () => {
    const run = driftCheck();
    expect(run.output).toContain("no drift");
    expect(run.status).toBe(0);
  }, 300_000);

  it("fails after a proto edit that was not regenerated, naming the stale files", () => {
    appendFileSync(join(scratch, "proto/vvtv/llmpool/v1/llmpool.proto"), "\n// A probe.\nmessage DriftProbe {\n  // A note.\n  string note = 1;\n}\n");
    git("-c", "user.email=ci@llm-pool.invalid", "-c", "user.name=ci", "commit", "-qam", "proto edit without stubs");
    const run = driftCheck();
    expect(run.status).toBe(1);
    expect(run.output).toContain("drift:");
    expect(run.output).toContain("libs/contract/src/gen/vvtv/llmpool/v1/llmpool_pb.ts");
    expect(run.output).toContain("sdk/python/src/llmpool/gen/vvtv/llmpool/v1/llmpool_pb2.py");
    expect(run.output).toContain("sdk/rust/llmpool_sdk/src/gen/vvtv/llmpool/v1/vvtv.llmpool.v1.rs");
  }, 300_000);

  it("passes again once the regenerated stubs are committed", () => {
    git("checkout", "-q", "--", ".");
    execFileSync("bash", ["tools/codegen/generate.sh"], { cwd: scratch, stdio: "pipe" });
    git("-c", "user.email=ci@llm-pool.invalid", "-c", "user.name=ci", "add", "-A");
    git("-c", "user.email=ci@llm-pool.invalid", "-c", "user.name=ci", "commit", "-qm", "regenerate");
    const run = driftCheck();
    expect(run.output).toContain("no drift");
    expect(run.status).toBe(0);
  }, 300_000);
});
