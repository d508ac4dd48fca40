import { authHeaders, type Credentials } from "./credentials.js";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * A fetch that authenticates each request it sends, signing the exact body bytes the Connect or
 * gRPC-Web transport hands it. Every call signs anew: a retry gets a fresh nonce and signature.
 */
export function createSigningFetch(credentials: Credentials, options: { fetch?: FetchLike; now?: () => number } = {}): FetchLike {
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  return async function signingFetch(input, init = {}) {
    const headers = new Headers(init.headers);
    const body = bodyBytes(init.body);
    const signed = await authHeaders(
      credentials,
      { method: init.method ?? "GET", url: new URL(input), contentType: headers.get("content-type") ?? "", body },
      now(),
    );
    for (const [name, value] of Object.entries(signed)) headers.set(name, value);
    return send(input, { ...init, headers, body: body.byteLength > 0 ? (body as Uint8Array<ArrayBuffer>) : init.body });
  };
}

function bodyBytes(body: RequestInit["body"]): Uint8Array {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // Connect and gRPC-Web send unary and server-streaming bodies as bytes; anything else
  // (a stream, a FormData) cannot be hashed before it is sent.
  throw new TypeError("body: only byte and string bodies can be signed");
}
