import { createHash } from "node:crypto";

/** The first line of every string to sign; a new scheme gets a new tag and a new `vN=` prefix. */
export const SIGNING_VERSION = "LLMPOOL-HMAC-SHA256-V1";

/** Everything the signature covers, as the client sent it. */
export interface SignedParts {
  readonly keyId: string;
  /** Unix seconds, as the decimal digits of `X-Timestamp`. */
  readonly timestamp: string;
  readonly nonce: string;
  /** Upper case: POST, GET. */
  readonly method: string;
  /** The request target's path exactly as sent, before any decoding: "/v1/infer". */
  readonly path: string;
  /** The raw query string without "?", as sent; "" when there is none. */
  readonly query: string;
  /** The Content-Type header as sent, or "" when absent. */
  readonly contentType: string;
  /** The exact body bytes on the wire (compressed and enveloped, for gRPC). */
  readonly body: Uint8Array;
}

/**
 * The string an HMAC-SHA256 signature covers: the lines below joined with
 * LF, no trailing LF. Returns undefined when the query cannot be
 * canonicalised (malformed percent-encoding), which the verifier refuses.
 */
export function stringToSign(parts: SignedParts): string | undefined {
  const query = canonicalQuery(parts.query);
  if (query === undefined) return undefined;
  return [
    SIGNING_VERSION,
    parts.keyId,
    parts.timestamp,
    parts.nonce,
    parts.method.toUpperCase(),
    parts.path,
    query,
    canonicalContentType(parts.contentType),
    bodySha256Hex(parts.body),
  ].join("\n");
}

/**
 * Sorts the query's parameters and re-encodes them with RFC 3986 (every byte
 * outside A-Z a-z 0-9 - . _ ~ as %XX, upper-case hex), so that equivalent
 * spellings sign alike. "+" is a literal plus (not a space), a parameter
 * without "=" gets an empty value, empty segments are dropped, and pairs
 * sort by encoded name, then encoded value (byte order).
 */
export function canonicalQuery(raw: string): string | undefined {
  const pairs: [string, string][] = [];
  for (const segment of raw.split("&")) {
    if (segment === "") continue;
    const eq = segment.indexOf("=");
    const name = decode(eq < 0 ? segment : segment.slice(0, eq));
    const value = decode(eq < 0 ? "" : segment.slice(eq + 1));
    if (name === undefined || value === undefined) return undefined;
    pairs.push([rfc3986(name), rfc3986(value)]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

/**
 * The media type: the value before the first ";", without the spaces and
 * tabs around it (HTTP's OWS, nothing else), ASCII-lowercased, so an
 * implementation in any language gets the same bytes:
 * "Application/JSON; charset=UTF-8" -> "application/json"; absent -> "".
 */
export function canonicalContentType(value: string): string {
  return value
    .split(";", 1)[0]!
    .replace(/^[ \t]+|[ \t]+$/g, "")
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function bodySha256Hex(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
