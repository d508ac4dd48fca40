import type { ConfigSnapshot } from "@llm-pool/config";
import type { Clock } from "@llm-pool/core";
import { createSecurity, type StoreFailureMode, type TenantGate } from "@llm-pool/security";
import type { SecurityMetrics } from "@llm-pool/telemetry";
import type { EdgeLogger } from "../logger.js";
import { createEdgeAuth } from "./create-edge-auth.js";
import type { EdgeAuth } from "./edge-auth.js";
import { securityMetrics } from "./security-metrics.js";

export interface WiredSecurity {
  readonly auth: EdgeAuth;
  /** A tenant's limits: the edges admit through it, the orchestrator reserves and settles daily tokens with it. */
  readonly tenantGate: TenantGate;
  /** Why the security stores keep the pool from answering now (Redis down in "refuse" mode), or undefined. */
  readiness(): string | undefined;
  close(): Promise<void>;
}

/**
 * Builds the security layer for the composition root: stores from the
 * snapshot at start, keys and tenants from whichever snapshot is in force
 * (each new one is checked once, and its key problems logged, when first
 * used), metrics on the pool's registry. Fails when a key of the first
 * snapshot has an unusable secret, so a bad deployment does not start.
 */
export async function wireSecurity(options: {
  config: () => ConfigSnapshot;
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  logger: EdgeLogger & { info(fields: Record<string, unknown>, message: string): void };
  metrics: SecurityMetrics;
  /** Overrides `[tenancy] on_store_failure` (tests). */
  onStoreFailure?: StoreFailureMode;
  /** How often readiness PINGs the stores' Redis; default 1000 ms (tests go faster). */
  storeProbeIntervalMs?: number;
}): Promise<WiredSecurity> {
  const { logger } = options;
  const security = createSecurity({
    config: options.config,
    env: options.env,
    clock: options.clock,
    observer: securityMetrics(options.metrics, logger),
    onStoreFailure: options.onStoreFailure ?? options.config().tenancy.on_store_failure,
    ...(options.storeProbeIntervalMs === undefined ? {} : { storeProbeIntervalMs: options.storeProbeIntervalMs }),
    redisOptions: { onError: (error) => logger.warn({ err: error }, "security Redis connection error") },
  });
  const initial = options.config();
  const problems = security.prepare(initial);
  if (problems.length > 0) {
    await security.close();
    throw new Error(`tenancy keys are not usable:\n${problems.join("\n")}`);
  }
  await security.ready(5_000).catch((error: unknown) => logger.warn({ err: error }, "security Redis not ready yet; requests meet the configured failure behaviour until it is"));

  let prepared = initial;
  const edgeAuth = createEdgeAuth({ security, config: options.config });
  return {
    auth: {
      ...edgeAuth,
      authenticate(request, scope) {
        const current = options.config();
        if (current !== prepared) {
          prepared = current;
          for (const problem of security.prepare(current)) logger.error({ config: current.version }, `tenancy key problem after reload: ${problem}`);
        }
        return edgeAuth.authenticate(request, scope);
      },
    },
    tenantGate: security.tenantGate,
    readiness: () => security.storeReadiness(),
    close: () => security.close(),
  };
}
