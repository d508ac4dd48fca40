import { createHash } from "node:crypto";
import type { TenancyConfig } from "@llm-pool/config";
import type { Clock, Identity } from "@llm-pool/core";
import { unauthenticated } from "../auth-failure.js";
import type { SecurityObserver } from "../security-observer.js";

/** Longer than any key the docs tell operators to make; anything longer is not worth hashing. */
const MAX_KEY_CHARS = 512;

interface ApiKeyEntry {
  readonly keyId: string;
  readonly tenantId: string;
  readonly enabled: boolean;
  readonly identity: Identity;
}

export interface ApiKeyVerifierDeps {
  readonly tenancy: () => TenancyConfig;
  readonly clock: Clock;
  readonly observer?: SecurityObserver;
}

/**
 * Verifies a bearer API key (R-API-7): the SHA-256 of the presented key is
 * looked up among the hashes the config holds, so neither the config nor
 * the pool's memory ever holds a usable key. A key proves who calls and
 * nothing about when: there is no timestamp and no nonce, so a key seen on
 * the wire can be replayed until it is rotated out. It belongs behind TLS.
 * The lookup is by hash, so its timing can only tell an attacker about the
 * hash of a guess, never about a configured key.
 */
export class ApiKeyVerifier {
  readonly #deps: ApiKeyVerifierDeps;
  readonly #rings = new WeakMap<TenancyConfig, ReadonlyMap<string, ApiKeyEntry>>();

  constructor(deps: ApiKeyVerifierDeps) {
    this.#deps = deps;
  }

  verify(key: string): Identity {
    if (key.length > MAX_KEY_CHARS) throw unauthenticated("malformed_token", "API key too long");
    const entry = this.#ring().get(createHash("sha256").update(key, "utf8").digest("hex"));
    if (!entry) throw unauthenticated("unknown_key", "API key");
    if (!entry.enabled) throw unauthenticated("tenant_disabled", `${entry.tenantId} (API key ${entry.keyId})`);
    this.#deps.observer?.keyUsed?.(entry.keyId, entry.tenantId, this.#deps.clock.now());
    return entry.identity;
  }

  /** The hashes of the snapshot in force, built once per snapshot, so a reload adds or drops keys at once. */
  #ring(): ReadonlyMap<string, ApiKeyEntry> {
    const tenancy = this.#deps.tenancy();
    let ring = this.#rings.get(tenancy);
    if (!ring) this.#rings.set(tenancy, (ring = buildApiKeyRing(tenancy)));
    return ring;
  }
}

function buildApiKeyRing(tenancy: TenancyConfig): ReadonlyMap<string, ApiKeyEntry> {
  const ring = new Map<string, ApiKeyEntry>();
  for (const tenant of Object.values(tenancy.tenants)) {
    const projects = [tenant.default_project, ...tenant.projects.filter((p) => p !== tenant.default_project)];
    for (const key of tenant.api_keys) {
      ring.set(key.sha256, {
        keyId: key.id,
        tenantId: tenant.id,
        enabled: tenant.enabled,
        identity: Object.freeze({
          tenantId: tenant.id,
          projectIds: Object.freeze(projects),
          principal: key.id,
          scopes: Object.freeze([...key.scopes]),
        }),
      });
    }
  }
  return ring;
}
