import { createHmac, timingSafeEqual } from "node:crypto";
import type { Clock, Identity } from "@llm-pool/core";
import { unauthenticated } from "../auth-failure.js";
import type { NonceStore } from "../nonce-store.js";
import type { HeaderList } from "../request-headers.js";
import type { SecurityObserver } from "../security-observer.js";
import { stringToSign } from "./canonical-request.js";
import type { KeyRing } from "./key-ring.js";
import { SIGNATURE_PREFIX } from "./sign-request.js";
import { parseSignatureHeaders } from "./signature-headers.js";

/** A request as it arrived, before anything parsed its body. */
export interface RawRequest {
  readonly method: string;
  /** The request target's path as sent (no decoding). */
  readonly path: string;
  /** The raw query without "?"; "" when none. */
  readonly query: string;
  readonly headers: HeaderList;
  /** The exact body bytes, read within the body limit. */
  readonly body: Uint8Array;
}

export interface HmacVerifierDeps {
  /** The key ring of the snapshot in force (rebuilt on reload). */
  readonly keys: () => KeyRing;
  /** Accepted |now - X-Timestamp|, in seconds, either way (tenancy.clock_skew_s). */
  readonly clockSkewS: () => number;
  readonly nonces: NonceStore;
  readonly clock: Clock;
  readonly observer?: SecurityObserver;
}

/**
 * Verifies an HMAC-signed request (R-SEC-1, R-SEC-2) in this order: the
 * headers' shape, the timestamp window, the key, the signature (constant
 * time) and only then the nonce, so a request that fails any earlier check
 * never touches the nonce store. Every refusal is the same 401 on the wire.
 */
export class HmacVerifier {
  readonly #deps: HmacVerifierDeps;

  constructor(deps: HmacVerifierDeps) {
    this.#deps = deps;
  }

  async verify(request: RawRequest): Promise<Identity> {
    const headers = parseSignatureHeaders(request.headers);
    const now = this.#deps.clock.now();
    const skewS = this.#deps.clockSkewS();
    // Integer seconds on both sides; the boundary itself is accepted.
    if (Math.abs(Math.floor(now / 1000) - headers.timestampS) > skewS) {
      throw unauthenticated("timestamp_skew", `${headers.timestampS} vs ${Math.floor(now / 1000)}`);
    }
    const key = this.#deps.keys().get(headers.keyId);
    if (!key) throw unauthenticated("unknown_key", headers.keyId);
    if (!key.enabled) throw unauthenticated("tenant_disabled", `${key.tenantId} (key ${key.keyId})`);
    if (!key.secret) throw unauthenticated("weak_secret", key.keyId);

    const text = stringToSign({ ...headers, method: request.method, path: request.path, query: request.query, body: request.body });
    if (text === undefined) throw unauthenticated("malformed_query");
    const expected = Buffer.from(SIGNATURE_PREFIX + createHmac("sha256", key.secret).update(text, "utf8").digest("hex"));
    const given = Buffer.from(headers.signature);
    // The header pattern fixes the length; checking again keeps timingSafeEqual from ever throwing.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw unauthenticated("bad_signature", key.keyId);
    }

    // The nonce lives until the end of its timestamp's window: after that the timestamp alone refuses it.
    const expiresAtMs = (headers.timestampS + skewS + 1) * 1000;
    const claim = await this.#deps.nonces.claim(key.keyId, headers.nonce, { signedAtMs: headers.timestampS * 1000, expiresAtMs });
    if (claim === "replayed") throw unauthenticated("replayed_nonce", key.keyId);
    // Signed before the nonce store's epoch: its nonce may be among those a wiped store lost.
    if (claim === "before_epoch") throw unauthenticated("signed_before_store_epoch", key.keyId);
    this.#deps.observer?.keyUsed?.(key.keyId, key.tenantId, now);
    return key.identity;
  }
}
