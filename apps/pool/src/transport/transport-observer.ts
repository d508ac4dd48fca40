/**
 * Why the transport turned a connection, a stream or a request away
 * before any route saw it. A closed set: it is a metric label.
 */
export type TransportRefusal =
  /** The listener was at `max_connections`; the new connection was closed at once. */
  | "max_connections"
  /** The OS refused to accept a connection (EMFILE, ENFILE, …); the pool never saw it. */
  | "accept_error"
  /** The server was at `max_in_flight`; the request got 503 / UNAVAILABLE with Retry-After. */
  | "in_flight"
  /** An HTTP/2 connection reset too many streams (rapid reset); it got GOAWAY and was closed. */
  | "stream_resets"
  /** A TLS client presented a certificate that does not verify against `client_ca_file`. */
  | "client_certificate";

/** What the transport reports; the composition root turns it into metrics and log lines. */
export interface TransportObserver {
  refused(reason: TransportRefusal, detail?: Readonly<Record<string, unknown>>): void;
}

export const silentTransportObserver: TransportObserver = {
  refused() {},
};
