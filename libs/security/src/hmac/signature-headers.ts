import { unauthenticated } from "../auth-failure.js";
import type { HeaderList } from "../request-headers.js";

/** The strict shape of each header; anything else is refused before any crypto runs. */
export const HEADER_PATTERNS = {
  "x-api-key": /^[A-Za-z0-9._-]{1,128}$/,
  // Ten digits: unix seconds from 2001 to 2286. Rejects "abc", "1e9", "-1", decimals and milliseconds.
  "x-timestamp": /^[1-9][0-9]{9}$/,
  // At least 128 bits of base64url (22 characters), unpadded.
  "x-nonce": /^[A-Za-z0-9_-]{22,128}$/,
  "x-signature": /^v1=[0-9a-f]{64}$/,
} as const;

export type SignatureHeaderName = keyof typeof HEADER_PATTERNS;

/** The four signature headers of a request, each present exactly once and well formed. */
export interface ParsedSignatureHeaders {
  readonly keyId: string;
  readonly timestamp: string;
  readonly timestampS: number;
  readonly nonce: string;
  readonly signature: string;
  /** The Content-Type as sent ("" when absent). */
  readonly contentType: string;
}

/** True when the request carries any HMAC header (so it means to use HMAC). */
export function hasSignatureHeaders(headers: HeaderList): boolean {
  return (Object.keys(HEADER_PATTERNS) as SignatureHeaderName[]).some((name) => headers(name).length > 0);
}

/**
 * Reads the four headers strictly: each exactly once (a repeat is refused,
 * not joined), not empty, matching its pattern; Content-Type at most once.
 * Throws unauthenticated with the reason for logs.
 */
export function parseSignatureHeaders(headers: HeaderList): ParsedSignatureHeaders {
  const value = (name: SignatureHeaderName): string => {
    const values = headers(name);
    if (values.length === 0) throw unauthenticated("missing_header", name);
    if (values.length > 1) throw unauthenticated("duplicate_header", name);
    const one = values[0]!;
    if (!HEADER_PATTERNS[name].test(one)) {
      throw unauthenticated(name === "x-timestamp" ? "malformed_timestamp" : "malformed_header", name);
    }
    return one;
  };
  const keyId = value("x-api-key");
  const timestamp = value("x-timestamp");
  const nonce = value("x-nonce");
  const signature = value("x-signature");
  const contentTypes = headers("content-type");
  if (contentTypes.length > 1) throw unauthenticated("duplicate_header", "content-type");
  return { keyId, timestamp, timestampS: Number(timestamp), nonce, signature, contentType: contentTypes[0] ?? "" };
}
