import type { TLSSocket } from "node:tls";

/**
 * Why a TLS client's certificate must be refused, or undefined when it may
 * go on. With a client CA and `require_client_cert = false`, OpenSSL is told
 * not to reject unverified peers (so that clients without a certificate
 * pass), which also lets through any certificate that fails verification —
 * a foreign CA, expired, self-signed. Optional means "none, or a valid one".
 */
export function clientCertificateRefusal(socket: TLSSocket): string | undefined {
  if (socket.authorized) return undefined;
  const presented = Object.keys(socket.getPeerCertificate()).length > 0;
  if (!presented) return undefined;
  return String(socket.authorizationError ?? "certificate did not verify");
}
