import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bodySha256Hex, canonicalContentType, canonicalQuery, stringToSign } from "./canonical-request.js";
import { signature } from "./sign-request.js";

interface Vector {
  name: string;
  key_id: string;
  secret: string;
  timestamp: string;
  nonce: string;
  method: string;
  path: string;
  query: string;
  content_type: string;
  body_base64: string;
  canonical_query: string;
  canonical_content_type: string;
  body_sha256: string;
  string_to_sign: string;
  signature: string;
}

const file = JSON.parse(readFileSync(join(import.meta.dirname, "../../../../testdata/hmac-vectors.json"), "utf8")) as {
  scheme: string;
  vectors: Vector[];
};

describe("golden HMAC vectors testdata/hmac-vectors.json (R-SEC-1)", () => {
  it("holds about twenty cases covering both key slots", () => {
    expect(file.vectors.length).toBeGreaterThanOrEqual(20);
    expect(new Set(file.vectors.map((v) => v.key_id))).toEqual(new Set(["vvtv-a", "vvtv-b"]));
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))("R-SEC-1: %s is reproduced byte for byte", (_, v) => {
    const body = Buffer.from(v.body_base64, "base64");
    const parts = { keyId: v.key_id, timestamp: v.timestamp, nonce: v.nonce, method: v.method, path: v.path, query: v.query, contentType: v.content_type, body };
    expect(canonicalQuery(v.query)).toBe(v.canonical_query);
    expect(canonicalContentType(v.content_type)).toBe(v.canonical_content_type);
    expect(bodySha256Hex(body)).toBe(v.body_sha256);
    expect(stringToSign(parts)).toBe(v.string_to_sign);
    expect(signature(v.secret, parts)).toBe(v.signature);
  });

  it("R-SEC-1: openssl computes the same body hashes and signatures (an independent implementation)", () => {
    for (const v of file.vectors) {
      const sha = execFileSync("openssl", ["dgst", "-sha256", "-r"], { input: Buffer.from(v.body_base64, "base64") }).toString().split(" ")[0];
      expect(sha).toBe(v.body_sha256);
      const mac = execFileSync("openssl", ["dgst", "-sha256", "-hmac", v.secret, "-r"], { input: v.string_to_sign }).toString().split(" ")[0];
      expect(`v1=${mac}`).toBe(v.signature);
    }
  });
});
