import { createHmac, randomBytes } from "node:crypto";
import { stringToSign, type SignedParts } from "./canonical-request.js";

export const SIGNATURE_PREFIX = "v1=";

/** The four headers of a signed request. */
export interface SignatureHeaders {
  readonly "x-api-key": string;
  readonly "x-timestamp": string;
  readonly "x-nonce": string;
  readonly "x-signature": string;
}

/** `v1=` + lowercase hex HMAC-SHA256 of the string to sign, keyed by the secret's UTF-8 bytes. */
export function signature(secret: string | Uint8Array, parts: SignedParts): string {
  const text = stringToSign(parts);
  if (text === undefined) throw new TypeError("the query string has malformed percent-encoding and cannot be signed");
  return SIGNATURE_PREFIX + createHmac("sha256", secret).update(text, "utf8").digest("hex");
}

/** 128 random bits as unpadded base64url (22 characters). */
export function newNonce(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * Signs a request the way every SDK must (docs/SECURITY.md): fills in the
 * timestamp (unix seconds) and a fresh nonce unless given.
 */
export function signRequest(
  secret: string | Uint8Array,
  request: Omit<SignedParts, "timestamp" | "nonce"> & { timestamp?: string; nonce?: string; now?: number },
): SignatureHeaders {
  const timestamp = request.timestamp ?? String(Math.floor((request.now ?? Date.now()) / 1000));
  const nonce = request.nonce ?? newNonce();
  const parts: SignedParts = { ...request, timestamp, nonce };
  return {
    "x-api-key": request.keyId,
    "x-timestamp": timestamp,
    "x-nonce": nonce,
    "x-signature": signature(secret, parts),
  };
}
