import type net from "node:net";
import type { Clock } from "@llm-pool/core";

const REQUEST_TIMEOUT_RESPONSE = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n";

/**
 * Node's HTTP/1.1 header timer starts when the parser sees the first byte,
 * which is after the TLS handshake or the protocol sniff. This one starts
 * when the connection was accepted: the first request's headers get only
 * what is left of `headersTimeoutMs`, so a client cannot take the bound
 * twice by waiting before its first byte. Returns the function that stops
 * it, to call once the first request's headers are in.
 */
export function boundFirstHeaders(socket: net.Socket, acceptedAt: number, clock: Clock, headersTimeoutMs: number): () => void {
  const left = headersTimeoutMs - (clock.now() - acceptedAt);
  const stop = clock.setTimer(Math.max(0, left), () => {
    if (socket.destroyed) return;
    socket.write(REQUEST_TIMEOUT_RESPONSE);
    socket.destroySoon();
  });
  socket.once("close", stop);
  return stop;
}
