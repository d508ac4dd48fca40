import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startMockEngine } from "@llm-pool/mock-engine";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { poolToml, SECRET_ENV, SLOW_MODEL_MS, type TestPoolTls } from "./pool-config.js";

const ROOT = join(import.meta.dirname, "../../../..");
const ISSUER = "https://sdk-tests.llm-pool.invalid/";

/** One HMAC key a test can sign with. */
export interface TestKey {
  readonly key_id: string;
  readonly secret: string;
  readonly tenant: string;
}

/** What a test needs to reach the pool; also the JSON line the CLI prints. */
export interface TestPoolInfo {
  readonly pool_url: string;
  readonly engine_url: string;
  readonly prompts_dir: string;
  /** `vvtv` (projects planner, curator, autopilot) and `tight` (one request per second). */
  readonly keys: { readonly vvtv: TestKey; readonly vvtv_b: TestKey; readonly tight: TestKey };
  /** An ES256 JWT for tenant vvtv, project curator, scope infer, valid for an hour. */
  readonly jwt: string;
  readonly slow_model_ms: number;
}

export interface TestPool extends TestPoolInfo {
  stop(): Promise<void>;
}

export interface TestPoolOptions {
  /** Listen on TLS (the pool URL is then https://). */
  readonly tls?: TestPoolTls;
  /** `[server] cors_allowed_origins`. */
  readonly corsAllowedOrigins?: readonly string[];
}

const secret = () => randomBytes(32).toString("hex");

/**
 * Starts the mock engine in this process and the real pool CLI (`llm-pool serve`) as a child on
 * port 0, with fresh secrets and a fresh JWT signing key, and resolves once `/readyz` is 200.
 */
export async function startTestPool(options: TestPoolOptions = {}): Promise<TestPool> {
  const dir = mkdtempSync(join(tmpdir(), "llm-pool-sdk-"));
  const engine = await startMockEngine({
    scenario: {
      seed: 1,
      slots: 8,
      models: {
        "fast:1b": { family: "fast", latency: { kind: "fixed", ms: 5 } },
        "slow:1b": { family: "slow", latency: { kind: "fixed", ms: SLOW_MODEL_MS } },
      },
    },
  });
  const signing = await generateKeyPair("ES256", { extractable: true });
  const jwksFile = join(dir, "jwks.json");
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(signing.publicKey)), kid: "sdk-1", alg: "ES256" }] }));
  const promptsDir = join(ROOT, "prompts");
  const configPath = join(dir, "llm-pool.toml");
  writeFileSync(configPath, poolToml({ engineUrl: engine.url, promptsDir, jwksFile, issuer: ISSUER, ...options }));

  const keys = {
    vvtv: { key_id: "vvtv-a", secret: secret(), tenant: "vvtv" },
    vvtv_b: { key_id: "vvtv-b", secret: secret(), tenant: "vvtv" },
    tight: { key_id: "tight-a", secret: secret(), tenant: "tight" },
  };
  const env = {
    ...process.env,
    [SECRET_ENV.vvtvA]: keys.vvtv.secret,
    [SECRET_ENV.vvtvB]: keys.vvtv_b.secret,
    [SECRET_ENV.tight]: keys.tight.secret,
  };
  const child = spawn(
    process.execPath,
    ["--conditions=@llm-pool/source", "--import", "tsx", join(ROOT, "apps/pool/src/cli.ts"), "serve", "--config", configPath],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const cleanup = async () => {
    await stopChild(child);
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await listeningPort(child);
    const poolUrl = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
    await waitUntilReady(poolUrl, options.tls);
    const nowS = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ tenant_id: "vvtv", project_id: "curator", scopes: ["infer"] })
      .setProtectedHeader({ alg: "ES256", kid: "sdk-1" })
      .setIssuer(ISSUER)
      .setAudience("llm-pool")
      .setSubject("sdk-tests")
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + 3600)
      .sign(signing.privateKey);
    return { pool_url: poolUrl, engine_url: engine.url, prompts_dir: promptsDir, keys, jwt, slow_model_ms: SLOW_MODEL_MS, stop: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** The port from the pool's "llm-pool listening" log line (pino JSON on stdout). */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const stderr: string[] = [];
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(String(chunk)));
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`the pool did not listen within 60 s: ${stderr.join("")}`)), 60_000);
    lines.on("line", (line) => {
      const entry = parseJson(line);
      if (entry?.msg === "llm-pool listening" && typeof entry.port === "number") {
        clearTimeout(timer);
        resolve(entry.port);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the pool exited with ${code} before listening: ${stderr.join("")}`));
    });
  });
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function waitUntilReady(poolUrl: string, tls: TestPoolTls | undefined): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const ready = await (tls ? readyOverTls(poolUrl, tls) : fetch(`${poolUrl}/readyz`).then((r) => r.ok, () => false));
    if (ready) return;
    if (Date.now() > end) throw new Error(`${poolUrl}/readyz did not answer 200 within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM (the pool drains), then SIGKILL if it is still there after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** GET /readyz over TLS, trusting the test CA (fetch takes no CA) and presenting the client certificate if any. */
function readyOverTls(poolUrl: string, tls: TestPoolTls): Promise<boolean> {
  const read = (file: string | undefined) => (file ? readFileSync(file) : undefined);
  return new Promise((resolve) => {
    const request = https.get(`${poolUrl}/readyz`, { ca: read(tls.caFile), cert: read(tls.clientCertFile), key: read(tls.clientKeyFile) }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
  });
}
