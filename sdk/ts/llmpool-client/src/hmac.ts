// HMAC request signing (LLMPOOL-HMAC-SHA256-V1), written from docs/SECURITY.md on Web Crypto so
// it runs in browsers and in Node 20 alike.

export const SCHEME = "LLMPOOL-HMAC-SHA256-V1";

export interface SignInput {
  readonly keyId: string;
  readonly timestamp: string;
  readonly nonce: string;
  readonly method: string;
  /** The request target's path, exactly as sent. */
  readonly path: string;
  /** The raw query after `?`, or "". */
  readonly query: string;
  /** The Content-Type header as sent, or "". */
  readonly contentType: string;
  /** The exact body bytes. */
  readonly body: Uint8Array;
}

const encoder = new TextEncoder();
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** The query in its signed form: decoded, re-encoded per RFC 3986, sorted by name then value. */
export function canonicalQuery(raw: string): string {
  const pairs = raw
    .split("&")
    .filter((piece) => piece !== "")
    .map((piece) => {
      const eq = piece.indexOf("=");
      const [name, value] = eq < 0 ? [piece, ""] : [piece.slice(0, eq), piece.slice(eq + 1)];
      return [encode(decode(name)), encode(decode(value))] as const;
    });
  pairs.sort(([an, av], [bn, bv]) => compare(an, bn) || compare(av, bv));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

// Encoded names are ASCII, so comparing UTF-16 code units is comparing bytes.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Percent-decodes to bytes; `+` stays a plus. Malformed escapes make the request unsignable. */
function decode(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "%") {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new TypeError(`query: malformed percent-encoding in "${text}"`);
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...encoder.encode(text[i]!));
    }
  }
  return Uint8Array.from(bytes);
}

function encode(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    const char = String.fromCharCode(b);
    out += b < 0x80 && UNRESERVED.test(char) ? char : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** `Application/JSON; charset=UTF-8` -> `application/json`. */
export function canonicalContentType(contentType: string): string {
  return (contentType.split(";", 1)[0] ?? "").trim().toLowerCase();
}

export async function sha256Hex(body: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", body as Uint8Array<ArrayBuffer>));
}

/** The nine lines the HMAC covers, joined by LF, with no trailing LF. */
export async function stringToSign(input: SignInput): Promise<string> {
  return [
    SCHEME,
    input.keyId,
    input.timestamp,
    input.nonce,
    input.method.toUpperCase(),
    input.path,
    canonicalQuery(input.query),
    canonicalContentType(input.contentType),
    await sha256Hex(input.body),
  ].join("\n");
}

/** `v1=` and the lowercase hex HMAC-SHA256 of `text`, keyed with the secret's UTF-8 bytes. */
export async function signature(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return `v1=${hex(await crypto.subtle.sign("HMAC", key, encoder.encode(text)))}`;
}

/** 128 random bits, base64url without padding (22 characters). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}
