import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBlock, shellBlock } from "@llm-pool/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const pool = inject("pool");
const PACKAGE = join(import.meta.dirname, "..");
const ROOT = join(PACKAGE, "../../..");
const bin = (name: string) => join(ROOT, "node_modules/.bin", name);

const USE = `
import { createLlmPoolClient, Task } from "@vvtv/llmpool-client";
const [url, keyId, secret] = process.argv.slice(2);
const answer = await createLlmPoolClient({ baseUrl: url, hmac: { keyId, secret } }).infer({ task: Task.EXPAND_QUERIES, prompt: "jazz" });
console.log(JSON.stringify({ winner: answer.winnerProvider, terms: JSON.parse(answer.output) }));
`;

// Type-checks against the package's own .d.ts (generated types included), as a user's editor would.
const TYPED = `
import { createLlmPoolClient, Task, type Answer, LlmPoolError } from "@vvtv/llmpool-client";
const client = createLlmPoolClient({ token: () => "jwt" });
const answer: Promise<Answer> = client.infer({ task: Task.JUDGE, prompt: "x", deadlineMs: 900 });
answer.catch((e: unknown) => e instanceof LlmPoolError && e.code === "resource_exhausted" && e.retryAfterS);
`;

describe("@vvtv/llmpool-client as a user installs it (R-SDK-4)", () => {
  let scratch: string;
  let tarball: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "llmpool-client-user-"));
    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    // docs/SDKs.md's install commands, as written, with APP the scratch project.
    const install = await runBlock(shellBlock("docs/SDKs.md", "install-typescript").code, { APP: scratch }, { timeoutMs: 240_000 });
    expect(install.code, install.stderr).toBe(0);
    tarball = join(ROOT, "vvtv-llmpool-client-0.1.0.tgz");
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    expect(files).toEqual(expect.arrayContaining(["package/dist/index.js", "package/dist/index.d.ts", "package/dist/gen/vvtv/llmpool/v1/llmpool_pb.d.ts", "package/dist/prompts.json"]));
  }, 240_000);
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(tarball, { force: true });
  });

  it("the packed package carries no sources and no workspace dependency", () => {
    const manifest = JSON.parse(execFileSync("tar", ["-xOzf", tarball, "package/package.json"], { encoding: "utf8" })) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@bufbuild/protobuf", "@connectrpc/connect", "@connectrpc/connect-web"]);
    expect(readdirSync(join(scratch, "node_modules/@vvtv/llmpool-client"))).not.toContain("src");
  });

  it("installed in a scratch project outside the repository, it calls the real pool", () => {
    writeFileSync(join(scratch, "use.mjs"), USE);
    const out = execFileSync(process.execPath, ["use.mjs", pool.pool_url, pool.keys.vvtv.key_id, pool.keys.vvtv.secret], { cwd: scratch, encoding: "utf8" });
    expect(JSON.parse(out)).toMatchObject({ winner: "fast", terms: { must_include: expect.any(Array) } });
  });

  it("its types check in a user's TypeScript project", () => {
    writeFileSync(join(scratch, "typed.ts"), TYPED);
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "es2022,dom", "typed.ts"], { cwd: scratch, encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
  });

  it("it bundles for the browser with no Node built-in", () => {
    writeFileSync(join(scratch, "browser.mjs"), USE.replace("process.argv.slice(2)", "[location.origin, 'k', 's'.repeat(32)]"));
    const bundled = spawnSync(bin("esbuild"), ["browser.mjs", "--bundle", "--platform=browser", "--format=esm", "--outfile=out.js"], { cwd: scratch, encoding: "utf8" });
    expect(bundled.status, bundled.stderr).toBe(0);
  });
});

describe("the example app", () => {
  it("runs with its documented command against the pool", async () => {
    const run = await runBlock(shellBlock("docs/SDKs.md", "example-typescript").code, {
      LLMPOOL_URL: pool.pool_url,
      LLMPOOL_KEY_ID: pool.keys.vvtv.key_id,
      LLMPOOL_SECRET: pool.keys.vvtv.secret,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^terms: \{/m);
    expect(run.stdout).toMatch(/^verdict: \{/m);
  });
});
