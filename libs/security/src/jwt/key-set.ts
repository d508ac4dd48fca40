import { readFileSync } from "node:fs";
import type { Clock } from "@llm-pool/core";
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import type { SecurityObserver } from "../security-observer.js";

/** Where a tenant's verification keys come from; `getKey` is what jose's jwtVerify calls. */
export interface KeySet {
  readonly getKey: JWTVerifyGetKey;
}

/** A JWKS read from a file once (a new snapshot re-reads it on reload). */
export function fileKeySet(path: string): KeySet {
  const jwks = JSON.parse(readFileSync(path, "utf8")) as JSONWebKeySet;
  return { getKey: createLocalJWKSet(jwks) };
}

export interface RemoteKeySetOptions {
  readonly url: string;
  readonly clock: Clock;
  /** A key set older than this is refreshed on the next request; default 10 min. */
  readonly maxAgeMs?: number;
  /** At most one fetch per this long, whatever happens (unknown kids, failures); default 30 s. */
  readonly cooldownMs?: number;
  /** A fetch that takes longer fails; default 3 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly observer?: SecurityObserver;
}

/**
 * A remote JWKS with a cache that never throws away the last good key set.
 * jose's createRemoteJWKSet drops its keys once they are older than
 * cacheMaxAge, so a JWKS endpoint down for longer fails every JWT; here a
 * failed refresh keeps serving the previous keys. An unknown `kid` causes
 * at most one fetch per cooldown (no refetch storm from forged kids), and
 * concurrent requests share one fetch in flight.
 */
export class RemoteKeySet implements KeySet {
  readonly #options: RemoteKeySetOptions;
  #local: ReturnType<typeof createLocalJWKSet> | undefined;
  #fetchedAt = -Infinity;
  #attemptedAt = -Infinity;
  #inFlight: Promise<void> | undefined;

  constructor(options: RemoteKeySetOptions) {
    this.#options = options;
  }

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const now = this.#options.clock.now();
    if (now - this.#fetchedAt >= (this.#options.maxAgeMs ?? 600_000)) await this.#refresh();
    if (!this.#local) throw new JwksUnavailableError(this.#options.url);
    try {
      return await this.#local(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // Perhaps the issuer rotated its keys: look again, unless we looked very recently.
      if (!(await this.#refresh())) throw error;
      return this.#local(header, token);
    }
  };

  /** Fetches unless within the cooldown; resolves true when a new key set arrived. */
  async #refresh(): Promise<boolean> {
    if (this.#inFlight) {
      await this.#inFlight;
      return false;
    }
    const now = this.#options.clock.now();
    if (now - this.#attemptedAt < (this.#options.cooldownMs ?? 30_000)) return false;
    this.#attemptedAt = now;
    let fresh = false;
    this.#inFlight = this.#fetch()
      .then((local) => {
        this.#local = local;
        this.#fetchedAt = this.#options.clock.now();
        fresh = true;
        this.#options.observer?.jwksFetched?.(this.#options.url, "ok");
      })
      .catch(() => {
        this.#options.observer?.jwksFetched?.(this.#options.url, "failed");
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    await this.#inFlight;
    return fresh;
  }

  async #fetch(): Promise<ReturnType<typeof createLocalJWKSet>> {
    const response = await (this.#options.fetch ?? fetch)(this.#options.url, {
      headers: { accept: "application/json" },
      redirect: "error",
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 3_000),
    });
    if (!response.ok) throw new Error(`JWKS ${this.#options.url} answered ${response.status}`);
    return createLocalJWKSet((await response.json()) as JSONWebKeySet);
  }
}

/** No key set was ever fetched from the URL. */
export class JwksUnavailableError extends Error {
  override readonly name = "JwksUnavailableError";
  constructor(url: string) {
    super(`no key set could be fetched from ${url} yet`);
  }
}
