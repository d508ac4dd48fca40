import type { TenancyConfig } from "@llm-pool/config";
import type { Identity } from "@llm-pool/core";

/** Secrets shorter than this are refused: HMAC-SHA256 keys should carry at least 256 bits. */
export const MIN_SECRET_BYTES = 32;

/** One key id as the verifier sees it. */
export interface KeyEntry {
  readonly keyId: string;
  readonly tenantId: string;
  /** The tenant's kill switch: a key of a disabled tenant authenticates nobody. */
  readonly enabled: boolean;
  /** The secret's UTF-8 bytes; undefined when the variable is unset or too short. */
  readonly secret: Buffer | undefined;
  readonly identity: Identity;
}

export interface KeyRing {
  get(keyId: string): KeyEntry | undefined;
  readonly size: number;
  /** Problems found while resolving secrets (no secret values): for logs at load and reload. */
  readonly problems: readonly string[];
}

/**
 * Resolves every tenant's keys from the environment. Runs at load and at each
 * reload (a new snapshot gets a new ring), so adding key B or dropping key A
 * is a config reload. A key whose variable is unset or shorter than
 * MIN_SECRET_BYTES stays in the ring without a secret, so it is refused.
 */
export function buildKeyRing(tenancy: TenancyConfig, env: Readonly<Record<string, string | undefined>>): KeyRing {
  const keys = new Map<string, KeyEntry>();
  const problems: string[] = [];
  for (const tenant of Object.values(tenancy.tenants)) {
    const projects = [tenant.default_project, ...tenant.projects.filter((p) => p !== tenant.default_project)];
    for (const key of tenant.keys) {
      const raw = env[key.secret_env];
      let secret: Buffer | undefined;
      if (raw === undefined || raw === "") {
        if (tenant.enabled) problems.push(`tenant ${tenant.id} key ${key.id}: ${key.secret_env} is not set`);
      } else if (Buffer.byteLength(raw, "utf8") < MIN_SECRET_BYTES) {
        problems.push(`tenant ${tenant.id} key ${key.id}: ${key.secret_env} is shorter than ${MIN_SECRET_BYTES} bytes`);
      } else {
        secret = Buffer.from(raw, "utf8");
      }
      keys.set(key.id, {
        keyId: key.id,
        tenantId: tenant.id,
        enabled: tenant.enabled,
        secret,
        identity: Object.freeze({
          tenantId: tenant.id,
          projectIds: Object.freeze(projects),
          principal: key.id,
          scopes: Object.freeze([...key.scopes]),
        }),
      });
    }
  }
  return { get: (keyId) => keys.get(keyId), size: keys.size, problems };
}
