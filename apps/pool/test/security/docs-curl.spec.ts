import { createHash } from "node:crypto";
import { FakeClock } from "@llm-pool/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBlock, shellBlocks, type BlockRun } from "../doc-blocks.js";
import { SECRET_A, startSecuredPool, tenancyConfig, type SecuredPool } from "./security-fixture.js";

const DOC = "docs/SECURITY.md";

/** The bearer API key the doc's curl sends; the pool's config holds only its SHA-256. */
const API_KEY = "sk-pool-docs-4f1c2b9e7a6d5c3b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d";
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The second run of a block's last curl line: the same request again, which must be a replay. */
function withReplay(code: string): string {
  const curl = code.slice(code.lastIndexOf("curl "));
  return `${code}\necho\n${curl}`;
}

/**
 * What each block of the doc must do against a pool with HMAC on. `replay`
 * blocks are run with their curl line twice.
 */
const checks: Record<string, { replay?: boolean; check: (run: BlockRun, pool: SecuredPool) => void }> = {
  "sign-with-openssl": {
    replay: true,
    check(run, pool) {
      const [answer, replay] = run.stdout.trim().split("\n");
      expect(JSON.parse(answer!)).toMatchObject({ output: expect.stringContaining("echo:gatos pretos") });
      expect(JSON.parse(replay!)).toMatchObject({ code: "unauthenticated" });
      expect(pool.service.calls.at(-1)!.ctx.identity?.principal).toBe("vvtv-a");
    },
  },
  "sign-connect-get": {
    replay: true,
    check(run) {
      const [answer, replay] = run.stdout.trim().split("\n");
      expect(JSON.parse(answer!)).toMatchObject({ status: "SERVING_STATUS_SERVING" });
      expect(JSON.parse(replay!)).toMatchObject({ code: "unauthenticated" });
    },
  },
  "generate-secret": {
    check(run) {
      expect(run.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    },
  },
  "generate-api-key": {
    check(run) {
      const [key, hash] = run.stdout.trim().split("\n");
      expect(key).toMatch(/^sk-pool-[0-9a-f]{48}$/);
      expect(hash).toBe(sha256(key!));
    },
  },
  "bearer-api-key": {
    check(run, pool) {
      expect(JSON.parse(run.stdout)).toMatchObject({ object: "chat.completion", choices: [{ message: { content: expect.stringContaining("echo:gatos pretos") } }] });
      expect(pool.service.calls.at(-1)!.ctx.identity).toMatchObject({ tenantId: "vvtv", principal: "docs-a" });
    },
  },
};

describe(`${DOC}: every command is run against a pool with HMAC on (R-SEC-1)`, () => {
  const blocks = shellBlocks(DOC);
  let pool: SecuredPool;
  beforeAll(async () => {
    // curl signs with the real time (`date +%s`).
    pool = await startSecuredPool({
      clock: new FakeClock(Date.now()),
      tenancy: tenancyConfig({}, { rate_burst: 100, api_keys: [{ id: "docs-a", sha256: sha256(API_KEY), scopes: ["infer"] }] }),
    });
  });
  afterAll(() => pool.close());

  it("every shell block is marked `<!-- tested: NAME -->` and has a check here, and every check a block", () => {
    for (const block of blocks) expect(block.name, `${DOC}:${block.line} has a shell block without a tested marker`).toBeDefined();
    expect(blocks.map((b) => b.name).sort()).toEqual(Object.keys(checks).sort());
  });

  it.each(blocks.filter((b) => b.name !== undefined).map((b) => [b.name!, b] as const))("%s", async (name, block) => {
    const { replay, check } = checks[name]!;
    const run = await runBlock(replay ? withReplay(block.code) : block.code, {
      POOL_URL: pool.baseUrl,
      LLMPOOL_KEY_ID: "vvtv-a",
      LLMPOOL_SECRET: SECRET_A,
      LLMPOOL_API_KEY: API_KEY,
    });
    expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
    check(run, pool);
  });
});
