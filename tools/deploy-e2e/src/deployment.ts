import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMockEngine } from "@llm-pool/mock-engine";
import { startRedis, type RedisProcess } from "@llm-pool/testing";
import { startGateway, type Gateway, type GatewayOptions } from "./nginx-gateway.js";
import { KEY_B, KEY_ENV, KEY_ID, METERED, METRICS_KEY, REDIS_URL_ENV, poolConfig, type PoolConfigOptions } from "./pool-config.js";
import { startPoolProcess, type PoolProcess } from "./pool-process.js";
import type { TenantKey } from "./signed-client.js";
import { makeTestCerts, type TestCerts } from "./test-certs.js";

export type MockEngine = Awaited<ReturnType<typeof startMockEngine>>;

export interface DeploymentOptions {
  /** Pool processes (default 1). */
  readonly replicas?: number;
  /** Stores on a real redis-server (default: when there is more than one replica). */
  readonly redis?: boolean;
  /** Certificates to use (default: fresh ones from gateway/nginx/make-certs.sh). */
  readonly certs?: TestCerts;
  /** The mock model's fixed generation time (default 5 ms). */
  readonly engineLatencyMs?: number;
  readonly pool?: Pick<PoolConfigOptions, "rateRps" | "rateBurst" | "shutdownGraceMs" | "meteredBurst" | "metricsPublic" | "extraToml">;
  readonly gateway?: Pick<GatewayOptions, "rate" | "allowlist">;
}

/** Pools as the gateway would see them: certificates, engine, Redis, the pool processes. */
export interface PoolSet {
  readonly certs: TestCerts;
  readonly engine: MockEngine;
  readonly redis: RedisProcess | undefined;
  readonly pools: PoolProcess[];
  /** Key A of the tenant (TENANT), in the config. */
  readonly key: TenantKey;
  /** Key B of the tenant: its variable is in the pools' environment, the config does not list it. */
  readonly keyB: TenantKey;
  /** The key of the tenant with a small limit (METERED). */
  readonly meteredKey: TenantKey;
  /** The operator's key that reads /metrics (METRICS_KEY). */
  readonly metricsKey: TenantKey;
  /** The pool config file (one for every replica). */
  readonly configPath: string;
  /** The environment the pools run with (key secrets, Redis URL). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Everything a client meets: the pools and the shipped gateway in front of them. */
export interface Deployment extends PoolSet {
  readonly gateway: Gateway;
}

const secret = () => randomBytes(32).toString("hex");

/** Starts a mock engine, Redis when asked, and the pools with the README's command. */
export async function startPools(options: DeploymentOptions = {}): Promise<PoolSet> {
  const replicas = options.replicas ?? 1;
  const dir = mkdtempSync(join(tmpdir(), "llm-pool-deploy-"));
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const certs = options.certs ?? (await makeTestCerts(join(dir, "certs")));
    const engine = await startMockEngine({
      scenario: { seed: 1, slots: 64, models: { "fast:1b": { latency: { kind: "fixed", ms: options.engineLatencyMs ?? 5 } } } },
    });
    cleanups.push(() => engine.close());
    const redis = (options.redis ?? replicas > 1) ? await startRedis() : undefined;
    if (redis) cleanups.push(() => redis.stop());
    const key: TenantKey = { keyId: KEY_ID, secret: secret() };
    const keyB: TenantKey = { keyId: KEY_B.keyId, secret: secret() };
    const meteredKey: TenantKey = { keyId: METERED.keyId, secret: secret() };
    const metricsKey: TenantKey = { keyId: METRICS_KEY.keyId, secret: secret() };
    const env: Record<string, string> = {
      [KEY_ENV]: key.secret,
      [KEY_B.keyEnv]: keyB.secret,
      [METERED.keyEnv]: meteredKey.secret,
      [METRICS_KEY.keyEnv]: metricsKey.secret,
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
    return { certs, engine, redis, pools, key, keyB, meteredKey, metricsKey, configPath, env, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** startPools, then the shipped gateway in front of them. */
export async function startDeployment(options: DeploymentOptions = {}): Promise<Deployment> {
  const set = await startPools(options);
  try {
    const gateway = await startGateway({ certs: set.certs, pools: set.pools.map((p) => p.address), ...options.gateway });
    return {
      ...set,
      gateway,
      async close() {
        await gateway.stop();
        await set.close();
      },
    };
  } catch (error) {
    await set.close();
    throw error;
  }
}
