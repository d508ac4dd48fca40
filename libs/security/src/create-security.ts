import type { ConfigSnapshot, TenancyConfig, TenantConfig, TenantJwtConfig } from "@llm-pool/config";
import type { Clock } from "@llm-pool/core";
import { createFailFastRedis, OutageGate, probeRedis, redisReady, type FailFastRedisOptions } from "@llm-pool/redis";
import type { Redis } from "ioredis";
import { ApiKeyVerifier } from "./api-key/api-key-verifier.js";
import { Authenticator } from "./authenticator.js";
import { HmacVerifier } from "./hmac/hmac-verifier.js";
import { buildKeyRing, type KeyRing } from "./hmac/key-ring.js";
import { JwtVerifier } from "./jwt/jwt-verifier.js";
import { fileKeySet, RemoteKeySet, type KeySet } from "./jwt/key-set.js";
import type { NonceStore } from "./nonce-store.js";
import { GuardedNonceStore } from "./nonce-store/guarded.js";
import { MemoryNonceStore } from "./nonce-store/memory.js";
import { RedisNonceStore } from "./nonce-store/redis.js";
import { MemoryTokenQuotaStore } from "./quota/memory.js";
import { RedisTokenQuotaStore } from "./quota/redis.js";
import type { TokenQuotaStore } from "./quota/token-quota.js";
import { MemoryRateLimiter } from "./rate-limit/memory.js";
import { RedisRateLimiter } from "./rate-limit/redis.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { SecurityObserver } from "./security-observer.js";
import { StoreGuard, type StoreFailureMode } from "./store-guard.js";
import { TenantGate } from "./tenant-gate.js";

export interface SecurityOptions {
  /** The snapshot in force; each call reads the current one, so reloads apply at once. */
  readonly config: () => ConfigSnapshot;
  /** Where key secrets and the Redis URL are read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  readonly observer?: SecurityObserver;
  /** What a request meets when Redis is down or hung; default "refuse" (503). */
  readonly onStoreFailure?: StoreFailureMode;
  /** How long Redis is skipped after a failure; default 1000 ms. */
  readonly storeDownForMs?: number;
  /** How often readiness PINGs the stores' Redis in "refuse" mode; default 1000 ms. */
  readonly storeProbeIntervalMs?: number;
  /** A Redis client to use instead of one built from tenancy.redis_url_env (it is not closed by close()). */
  readonly redis?: Redis;
  /** Overrides for the client built from the config (connection errors, tests). */
  readonly redisOptions?: Partial<FailFastRedisOptions>;
  /** For remote JWKS (tests); default global fetch. */
  readonly fetch?: typeof fetch;
  /** JWKS cache tuning (see RemoteKeySet). */
  readonly jwks?: { readonly maxAgeMs?: number; readonly cooldownMs?: number; readonly timeoutMs?: number };
  /** exp/nbf tolerance in seconds; default 30. */
  readonly jwtClockToleranceS?: number;
}

/** Everything the edges need from the security layer. */
export interface Security {
  readonly authenticator: Authenticator;
  /**
   * A tenant's limits: `admit` at the edge (kill switch, project, rate
   * limit), `reserve` in the orchestrator (cost policy, daily tokens).
   */
  readonly tenantGate: TenantGate;
  /**
   * Resolves key secrets and JWKS files for a snapshot (at start and on
   * each reload) and returns the problems found, without secret values.
   */
  prepare(config: ConfigSnapshot): readonly string[];
  /** Resolves once the Redis client (if any) is connected, or rejects after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  /**
   * Why no request can be served now, or undefined: with on_store_failure =
   * "refuse", a Redis store that does not answer refuses every request, so
   * the pool must not report itself ready (found by a PING every second).
   */
  storeReadiness(): string | undefined;
  close(): Promise<void>;
}

/**
 * Builds the security layer from the config: HMAC and JWT verification, the
 * nonce store, the rate limiter and the daily token quota. The stores and
 * their Redis client are chosen by the snapshot at start (nonce_store,
 * rate_limit_store, redis_url_env, on_store_failure, `[redis]`; a change
 * needs a restart); keys, tenants and limits follow every reload.
 */
export function createSecurity(options: SecurityOptions): Security {
  const { clock, observer } = options;
  const initial = options.config().tenancy;
  const tenancy = () => options.config().tenancy;
  const needsRedis = initial.nonce_store === "redis" || initial.rate_limit_store === "redis";
  const ownsRedis = needsRedis && !options.redis;
  const redis = needsRedis
    ? (options.redis ??
      createFailFastRedis(redisUrl(initial, options.env), { commandTimeoutMs: options.config().redis.command_timeout_ms, ...options.redisOptions }))
    : undefined;
  const mode = options.onStoreFailure ?? "refuse";
  const probe = redis && mode === "refuse" ? probeRedis(redis, { timer: clock, ...(options.storeProbeIntervalMs === undefined ? {} : { intervalMs: options.storeProbeIntervalMs }) }) : undefined;
  // One gate for the one client: a request meets a hung Redis's timeout once, not once per store.
  const gate = new OutageGate({ clock, ...(options.storeDownForMs === undefined ? {} : { downForMs: options.storeDownForMs }) });
  const guard = (store: "nonce" | "rate_limit" | "quota") => new StoreGuard({ store, mode, gate, ...(observer && { observer }) });

  // Built now, so the memory store's epoch is the process start: requests signed before it are refused.
  const localNonces = new MemoryNonceStore({ clock });
  const nonces: NonceStore =
    redis && initial.nonce_store === "redis"
      ? new GuardedNonceStore({ remote: new RedisNonceStore({ redis, clock }), local: localNonces, guard: guard("nonce"), clock, ...(observer && { observer }) })
      : localNonces;
  const localLimiter = new MemoryRateLimiter({ clock });
  const localQuota = new MemoryTokenQuotaStore({ clock });
  const sharedLimits = redis && initial.rate_limit_store === "redis";
  const limiter: RateLimiter = sharedLimits ? guardedLimiter(new RedisRateLimiter({ redis, clock }), localLimiter, guard("rate_limit")) : localLimiter;
  const quota: TokenQuotaStore = sharedLimits ? guardedQuota(new RedisTokenQuotaStore({ redis, clock }), localQuota, guard("quota")) : localQuota;

  const rings = new WeakMap<TenancyConfig, KeyRing>();
  const ringFor = (t: TenancyConfig): KeyRing => {
    let ring = rings.get(t);
    if (!ring) rings.set(t, (ring = buildKeyRing(t, options.env)));
    return ring;
  };
  const fileSets = new WeakMap<TenantJwtConfig, KeySet>();
  const remoteSets = new Map<string, RemoteKeySet>();
  const keySet = (tenant: TenantConfig): KeySet => {
    const jwt = tenant.jwt!;
    if (jwt.jwks_url !== null) {
      let remote = remoteSets.get(jwt.jwks_url);
      if (!remote) {
        remote = new RemoteKeySet({ url: jwt.jwks_url, clock, ...options.jwks, ...(options.fetch && { fetch: options.fetch }), ...(observer && { observer }) });
        remoteSets.set(jwt.jwks_url, remote);
      }
      return remote;
    }
    let file = fileSets.get(jwt);
    if (!file) fileSets.set(jwt, (file = fileKeySet(jwt.jwks_file!)));
    return file;
  };

  const hmac = new HmacVerifier({ keys: () => ringFor(tenancy()), clockSkewS: () => tenancy().clock_skew_s, nonces, clock, ...(observer && { observer }) });
  const jwt = new JwtVerifier({ tenancy, keySet, clock, ...(options.jwtClockToleranceS === undefined ? {} : { clockToleranceS: options.jwtClockToleranceS }) });

  return {
    authenticator: new Authenticator({
      mode: () => tenancy().auth,
      hmac,
      jwt,
      apiKeys: new ApiKeyVerifier({ tenancy, clock, ...(observer && { observer }) }),
      ...(observer && { observer }),
    }),
    tenantGate: new TenantGate({ tenancy, limiter, quota, clock, ...(observer && { observer }) }),
    prepare(config) {
      const problems = [...ringFor(config.tenancy).problems];
      for (const tenant of Object.values(config.tenancy.tenants)) {
        if (!tenant.jwt || tenant.jwt.jwks_file === null) continue;
        try {
          keySet(tenant);
        } catch (error) {
          problems.push(`tenant ${tenant.id}: cannot read jwks_file ${tenant.jwt.jwks_file}: ${(error as Error).message}`);
        }
      }
      return problems;
    },
    ready: (timeoutMs) => (redis ? redisReady(redis, timeoutMs) : Promise.resolve()),
    storeReadiness() {
      if (mode !== "refuse") return undefined;
      // The probe sees a Redis that stopped answering; the gate still skipping Redis after a failed
      // request refuses too, until its hold-down ends.
      const down = probe?.down() ?? (gate.down ? "a request failed on it moments ago" : undefined);
      return down === undefined ? undefined : `the security store (Redis) does not answer (${down}) and [tenancy] on_store_failure = "refuse" refuses every request`;
    },
    async close() {
      probe?.close();
      if (ownsRedis) redis?.disconnect();
    },
  };
}

function redisUrl(tenancy: TenancyConfig, env: Readonly<Record<string, string | undefined>>): string {
  const url = tenancy.redis_url_env === null ? undefined : env[tenancy.redis_url_env];
  if (!url) throw new Error(`tenancy.redis_url_env: environment variable ${tenancy.redis_url_env ?? "(none)"} is not set`);
  return url;
}

function guardedLimiter(remote: RateLimiter, local: RateLimiter, guard: StoreGuard): RateLimiter {
  return { consume: (...args) => guard.run(() => remote.consume(...args), () => local.consume(...args)) };
}

function guardedQuota(remote: TokenQuotaStore, local: TokenQuotaStore, guard: StoreGuard): TokenQuotaStore {
  return {
    usedToday: (tenantId) => guard.run(() => remote.usedToday(tenantId), () => local.usedToday(tenantId)),
    // A reservation is settled in the store that made it (its hold), whichever answers then.
    reserve: (...args) => guard.run(() => remote.reserve(...args), () => local.reserve(...args)),
  };
}
