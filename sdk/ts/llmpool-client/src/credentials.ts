import { newNonce, signature, stringToSign } from "./hmac.js";

/** An HMAC key from the pool's config: the key id and its secret (at least 32 bytes). */
export interface HmacKey {
  readonly keyId: string;
  readonly secret: string;
}

/** A JWT, or a function asked for one on every attempt (so it can be refreshed between retries). */
export type BearerToken = string | (() => string | Promise<string>);

export type Credentials = { readonly hmac: HmacKey } | { readonly token: BearerToken } | undefined;

/** Checks credentials once, when the client is made, so a bad key fails before any request. */
export function checkCredentials(credentials: Credentials): void {
  if (!credentials) return;
  if ("hmac" in credentials) {
    if (!credentials.hmac.keyId) throw new TypeError("hmac.keyId: is required");
    if (new TextEncoder().encode(credentials.hmac.secret).byteLength < 32) throw new TypeError("hmac.secret: must be at least 32 bytes");
  } else if (!credentials.token) {
    throw new TypeError("token: is empty");
  }
}

export interface SignedRequest {
  readonly method: string;
  readonly url: URL;
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** The headers that authenticate one request: HMAC with a fresh nonce each time, or a bearer token. */
export async function authHeaders(credentials: Credentials, request: SignedRequest, nowMs: number): Promise<Record<string, string>> {
  if (!credentials) return {};
  if ("token" in credentials) {
    const token = typeof credentials.token === "function" ? await credentials.token() : credentials.token;
    if (!token) throw new TypeError("token: is empty");
    return { authorization: `Bearer ${token}` };
  }
  const { keyId, secret } = credentials.hmac;
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = newNonce();
  const text = await stringToSign({
    keyId,
    timestamp,
    nonce,
    method: request.method,
    path: request.url.pathname,
    query: request.url.search.slice(1),
    contentType: request.contentType,
    body: request.body,
  });
  return { "x-api-key": keyId, "x-timestamp": timestamp, "x-nonce": nonce, "x-signature": await signature(secret, text) };
}
