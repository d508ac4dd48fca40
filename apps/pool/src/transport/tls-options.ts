import { readFileSync } from "node:fs";
import type http2 from "node:http2";
import type { TlsOptions } from "../server-options.js";

/**
 * Forward-secret AEAD suites only: TLS 1.3's, then ECDHE with AES-GCM or
 * ChaCha20-Poly1305 for TLS 1.2. Node's default list ends in "HIGH", which
 * still admits static-RSA and CBC suites (AES128-SHA, …) that HTTP/2
 * forbids (RFC 9113 §9.2.2). Naming the TLS 1.3 suites keeps TLS 1.3 on.
 */
export const TLS_CIPHERS = [
  "TLS_AES_128_GCM_SHA256",
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

/**
 * The secure listener's TLS settings; files are read once, here. The
 * minimum version is explicit so that a process-wide default
 * (`--tls-min-v1.0`, `tls.DEFAULT_MIN_VERSION`) cannot lower it.
 */
export function tlsServerOptions(tls: TlsOptions, handshakeTimeoutMs: number): http2.SecureServerOptions {
  const clientCa = tls.clientCaFile ? readFileSync(tls.clientCaFile) : undefined;
  return {
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile),
    minVersion: "TLSv1.2",
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
    handshakeTimeout: handshakeTimeoutMs,
    // Optional mode (rejectUnauthorized false) is completed by clientCertificateRefusal after the handshake.
    ...(clientCa && { ca: clientCa, requestCert: true, rejectUnauthorized: tls.requireClientCert ?? true }),
  };
}
