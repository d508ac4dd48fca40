// R-SDK-1: the client runs in a browser. Debian's chromium (headless, driven by playwright-core,
// never a downloaded browser) loads a page that an origin server of this test serves, with the
// client bundled by esbuild for the browser, and calls a real pool (the pool CLI and the mock
// engine) on another origin: the pool lets that origin in with `[server] cors_allowed_origins`.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { startTestPool, type TestPool } from "@llm-pool/sdk-test-pool";
import { launchChromium, type HeadlessChromium } from "@llm-pool/testing";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PageApi } from "./browser/page-entry.js";

type Page = Awaited<ReturnType<HeadlessChromium["browser"]["newPage"]>>;

/** What the page reports of an error: enough to see it is the typed one, with its fields. */
interface PageError {
  readonly typed: boolean;
  readonly code: string;
  readonly field: string;
  readonly retryAfterS: number | undefined;
}

/** Serves one HTML page that loads the bundle; each server is one origin. */
async function originServer(bundle: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === "/client.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(bundle);
    } else if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end('<!doctype html><title>llmpool</title><script src="/client.js"></script>');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function engineCalls(pool: TestPool): Promise<number> {
  const record = (await (await fetch(`${pool.engine_url}/__mock/record`)).json()) as { entries: { route: string }[] };
  return record.entries.filter((e) => e.route === "/api/chat").length;
}

describe("@vvtv/llmpool-client in headless chromium against the real pool (R-SDK-1)", () => {
  let chromium: HeadlessChromium;
  let pool: TestPool;
  let allowed: { origin: string; server: Server };
  let foreign: { origin: string; server: Server };
  let page: Page;

  beforeAll(async () => {
    const bundled = await build({
      entryPoints: [join(import.meta.dirname, "browser/page-entry.ts")],
      bundle: true,
      platform: "browser",
      format: "iife",
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    const bundle = bundled.outputFiles[0]!.text;
    allowed = await originServer(bundle);
    foreign = await originServer(bundle);
    pool = await startTestPool({ corsAllowedOrigins: [allowed.origin] });
    chromium = await launchChromium();
    page = await chromium.browser.newPage();
    await page.goto(`${allowed.origin}/`);
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await pool?.stop();
    allowed?.server.close();
    foreign?.server.close();
  });

  it("the page's bundle has the client and runs in a secure context with Web Crypto", async () => {
    expect(await page.evaluate(() => [isSecureContext, typeof crypto.subtle.sign, typeof (globalThis as unknown as { llmpool: PageApi }).llmpool.createLlmPoolClient])).toEqual([
      true,
      "function",
      "function",
    ]);
  });

  it.each(["connect", "grpc-web"] as const)("infer() with a JWT over %s answers in the task's schema", async (protocol) => {
    const answer = await page.evaluate(
      async ({ baseUrl, jwt, protocol }) => {
        const { llmpool } = globalThis as unknown as { llmpool: PageApi };
        const client = llmpool.createLlmPoolClient({ baseUrl, token: () => jwt, protocol });
        const answer = await client.infer({ task: llmpool.Task.JUDGE, prompt: "pick the calmest", deadlineMs: 2000 });
        return { winner: answer.winnerProvider, project: answer.projectId, output: JSON.parse(answer.output) as Record<string, unknown> };
      },
      { baseUrl: pool.pool_url, jwt: pool.jwt, protocol },
    );
    expect(answer).toMatchObject({ winner: "fast", project: "curator", output: { confidence: expect.any(Number) } });
  });

  it("inferStream() streams into the page: the winner's text as deltas that join to the Answer's output", async () => {
    const streamed = await page.evaluate(
      async ({ baseUrl, jwt }) => {
        const { llmpool } = globalThis as unknown as { llmpool: PageApi };
        const deltas: string[] = [];
        let output: string | undefined;
        for await (const message of llmpool.createLlmPoolClient({ baseUrl, token: jwt }).inferStream({ task: llmpool.Task.EXPAND_QUERIES, prompt: "stream me" })) {
          if (message.event.case === "delta") deltas.push(message.event.value.text);
          if (message.event.case === "answer") output = message.event.value.output;
        }
        return { deltas, output };
      },
      { baseUrl: pool.pool_url, jwt: pool.jwt },
    );
    expect(streamed.deltas.length).toBeGreaterThan(1);
    expect(streamed.deltas.join("")).toBe(streamed.output);
  });

  it("an HMAC-signed infer() is signed in the page on Web Crypto and accepted by the pool", async () => {
    const result = await page.evaluate(
      async ({ baseUrl, keyId, secret }) => {
        const { llmpool } = globalThis as unknown as { llmpool: PageApi };
        const before = llmpool.hmacSignatures();
        const answer = await llmpool.createLlmPoolClient({ baseUrl, hmac: { keyId, secret } }).infer({ task: llmpool.Task.EXPAND_QUERIES, prompt: "jazz ao vivo" });
        return { tenant: answer.tenantId, terms: JSON.parse(answer.output) as Record<string, unknown>, signatures: llmpool.hmacSignatures() - before };
      },
      { baseUrl: pool.pool_url, keyId: pool.keys.vvtv.key_id, secret: pool.keys.vvtv.secret },
    );
    expect(result).toMatchObject({ tenant: "vvtv", terms: { must_include: expect.any(Array) }, signatures: 1 });
  });

  it.each(["connect", "grpc-web"] as const)("errors reach the page typed over %s: the field, and Retry-After on a 429", async (protocol) => {
    const errors = await page.evaluate(
      async ({ baseUrl, jwt, tight, protocol }) => {
        const { llmpool } = globalThis as unknown as { llmpool: PageApi };
        const report = (e: unknown): PageError =>
          e instanceof llmpool.LlmPoolError
            ? { typed: true, code: e.code, field: e.field, retryAfterS: e.retryAfterS }
            : { typed: false, code: String(e), field: "", retryAfterS: undefined };
        const invalid = await llmpool
          .createLlmPoolClient({ baseUrl, token: jwt, protocol })
          .infer({ task: llmpool.Task.JUDGE, prompt: "x", deadlineMs: 60_000 })
          .then(() => undefined, report);
        const limited = llmpool.createLlmPoolClient({ baseUrl, hmac: tight, protocol, retry: { maxRetries: 0 } });
        const outcomes = await Promise.allSettled([1, 2, 3].map(() => limited.infer({ task: llmpool.Task.JUDGE, prompt: "x" })));
        return { invalid, limited: outcomes.flatMap((o) => (o.status === "rejected" ? [report(o.reason)] : [])) };
      },
      { baseUrl: pool.pool_url, jwt: pool.jwt, tight: { keyId: pool.keys.tight.key_id, secret: pool.keys.tight.secret }, protocol },
    );
    expect(errors.invalid).toEqual({ typed: true, code: "invalid_argument", field: "deadline_ms", retryAfterS: undefined });
    expect(errors.limited.length).toBeGreaterThanOrEqual(2);
    for (const error of errors.limited) expect(error).toEqual({ typed: true, code: "resource_exhausted", field: "", retryAfterS: 1 });
  });

  it("attack: a page on an origin the pool does not list cannot call it; the request never reaches the engine", async () => {
    const other = await chromium.browser.newPage();
    try {
      await other.goto(`${foreign.origin}/`);
      const before = await engineCalls(pool);
      const error = await other.evaluate(
        async ({ baseUrl, jwt }) => {
          const { llmpool } = globalThis as unknown as { llmpool: PageApi };
          return llmpool
            .createLlmPoolClient({ baseUrl, token: jwt, retry: { maxRetries: 0 } })
            .infer({ task: llmpool.Task.JUDGE, prompt: "steal a verdict" })
            .then(
              () => undefined,
              (e: unknown) => (e instanceof llmpool.LlmPoolError ? e.code : String(e)),
            );
        },
        { baseUrl: pool.pool_url, jwt: pool.jwt },
      );
      // The browser refuses after the pool's 403 preflight: the page sees no answer at all.
      expect(error).toBe("connection");
      expect(await engineCalls(pool)).toBe(before);
    } finally {
      await other.close();
    }
  });
});
