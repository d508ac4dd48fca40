import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockEngine } from "@llm-pool/mock-engine";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import { startGateway, type Gateway, type GatewayOptions } from "./nginx-gateway.js";
import { KEY_ENV, KEY_ID, METERED, REDIS_URL_ENV, poolConfig, type PoolConfigOptions } from "./pool-config.js";
import { startPoolProcess, type PoolProcess } from "./pool-process.js";
import type { TenantKey } from "./signed-client.js";
import { makeTestCerts, type TestCerts } from "./test-certs.js";

export type MockEngine = Awaited<ReturnType<typeof startMockEngine>>;

export interface DeploymentOptions {
  /** Pool processes behind the gateway (default 1). With more than one, they share a real Redis. */
  readonly replicas?: number;
  /** The mock model's fixed generation time (default 5 ms). */
  readonly engineLatencyMs?: number;
  readonly pool?: Pick<PoolConfigOptions, "rateRps" | "rateBurst" | "shutdownGraceMs" | "meteredBurst">;
  readonly gateway?: Pick<GatewayOptions, "rate" | "allowlist">;
}

/** Everything a client meets through the gateway: certificates, engine, Redis, pools, nginx. */
export interface Deployment {
  readonly certs: TestCerts;
  readonly engine: MockEngine;
  readonly redis: RedisProcess | undefined;
  readonly pools: PoolProcess[];
  readonly gateway: Gateway;
  readonly key: TenantKey;
  /** The key of the tenant with a small limit (METERED). */
  readonly meteredKey: TenantKey;
  /** The pool config file (one for every replica). */
  readonly configPath: string;
  /** The environment the pools run with (key secret, Redis URL). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts a mock engine, Redis when there are replicas, the pools (README's command) and the shipped gateway. */
export async function startDeployment(options: DeploymentOptions = {}): Promise<Deployment> {
  const replicas = options.replicas ?? 1;
  const dir = mkdtempSync(join(tmpdir(), "llm-pool-deploy-"));
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const certs = await makeTestCerts(join(dir, "certs"));
    const engine = await startMockEngine({
      scenario: { seed: 1, slots: 64, models: { "fast:1b": { latency: { kind: "fixed", ms: options.engineLatencyMs ?? 5 } } } },
    });
    cleanups.push(() => engine.close());
    const redis = replicas > 1 ? await startRedis() : undefined;
    if (redis) cleanups.push(() => redis.stop());
    const key: TenantKey = { keyId: KEY_ID, secret: randomBytes(32).toString("hex") };
    const meteredKey: TenantKey = { keyId: METERED.keyId, secret: randomBytes(32).toString("hex") };
    const env: Record<string, string> = {
      [KEY_ENV]: key.secret,
      [METERED.keyEnv]: meteredKey.secret,
      ...(redis && { [REDIS_URL_ENV]: redis.url }),
    };
    const configPath = join(dir, "llm-pool.toml");
    writeFileSync(configPath, poolConfig({ engineUrl: engine.url, certs, redis: redis !== undefined, ...options.pool }));
    const pools: PoolProcess[] = [];
    for (let i = 0; i < replicas; i++) {
      const pool = await startPoolProcess(configPath, env);
      pools.push(pool);
      cleanups.push(async () => void (await pool.stop("SIGTERM")));
    }
    const gateway = await startGateway({ certs, pools: pools.map((p) => p.address), ...options.gateway });
    cleanups.push(() => gateway.stop());
    return { certs, engine, redis, pools, gateway, key, meteredKey, configPath, env, close };
  } catch (error) {
    await close();
    throw error;
  }
}
