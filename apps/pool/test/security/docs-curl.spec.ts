import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { FakeClock } from "@llm-pool/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_A, startSecuredPool, type SecuredPool } from "./security-fixture.js";

const run = promisify(execFile);

/** The bash block that follows a `<!-- tested: NAME -->` marker in docs/SECURITY.md. */
function docBlock(name: string): string {
  const doc = readFileSync(join(import.meta.dirname, "../../../../docs/SECURITY.md"), "utf8");
  const match = new RegExp(`<!-- tested: ${name} -->\\n\`\`\`bash\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (!match) throw new Error(`docs/SECURITY.md has no tested block ${name}`);
  return match[1]!;
}

describe("docs/SECURITY.md: signing by hand with openssl and curl", () => {
  let pool: SecuredPool;
  beforeAll(async () => {
    // curl signs with the real time (`date +%s`).
    pool = await startSecuredPool({ clock: new FakeClock(Date.now()) });
  });
  afterAll(() => pool.close());

  it("R-SEC-1: the documented command sequence is answered, and the same curl line again is a replay", async () => {
    const block = docBlock("sign-with-openssl");
    const curl = block.slice(block.indexOf("curl "));
    const script = `set -euo pipefail\n${block}\necho\n${curl}`;
    const { stdout } = await run("bash", ["-c", script], {
      env: { ...process.env, POOL_URL: pool.baseUrl, LLMPOOL_KEY_ID: "vvtv-a", LLMPOOL_SECRET: SECRET_A },
    });
    const [answer, replay] = stdout.trim().split("\n");
    expect(JSON.parse(answer!)).toMatchObject({ output: expect.stringContaining("echo:gatos pretos") });
    expect(JSON.parse(replay!)).toMatchObject({ code: "unauthenticated" });
    expect(pool.service.calls.at(-1)!.ctx.identity?.principal).toBe("vvtv-a");
  });
});
