/** TLS for the listener; files are read once when the server is created. */
export interface TlsOptions {
  /** PEM certificate chain of the server. */
  readonly certFile: string;
  /** PEM private key of the server. */
  readonly keyFile: string;
  /**
   * PEM bundle of the CAs that sign client certificates (mTLS from a
   * gateway). When set, clients are asked for a certificate.
   */
  readonly clientCaFile?: string;
  /**
   * Refuse clients without a certificate; default true when `clientCaFile`
   * is set. Either way a certificate that is presented must verify against
   * `clientCaFile` (chain, dates), or the connection is closed.
   */
  readonly requireClientCert?: boolean;
}

/**
 * How the one listener behaves. Every limit has a safe default; the
 * composition root overrides them from `[server]` in the config.
 */
export interface ServerOptions {
  /** Address to bind; default 127.0.0.1. */
  readonly host: string;
  /** Port to bind; 0 picks a free one. Default 7070. */
  readonly port: number;
  /** Largest request body, in bytes, enforced while reading (REST and RPC). Default 64 KiB. */
  readonly maxBodyBytes: number;
  /** Largest request header block, in bytes (HTTP/1.1 answers 431 above it). Default 16 KiB. */
  readonly maxHeaderBytes: number;
  /** Most header fields (pseudo-headers included) in one request, on both protocols; 431 above it. Default 128. */
  readonly maxHeaderPairs: number;
  /**
   * One clock from the moment a connection is accepted: the TLS handshake or
   * the cleartext protocol sniff, then (HTTP/1.1) the first request's
   * headers, must all be done within this. Default 10 s.
   */
  readonly headersTimeoutMs: number;
  /**
   * The whole request (headers and body) must arrive within this, from its
   * first byte, however it trickles; on HTTP/2 the stream is cancelled.
   * Default 30 s.
   */
  readonly requestTimeoutMs: number;
  /** HTTP/1.1: an idle keep-alive connection is closed after this. Default 60 s, as `sessionIdleTimeoutMs`. */
  readonly keepAliveTimeoutMs: number;
  /** HTTP/2: a session without any traffic is closed after this. Default 60 s. */
  readonly sessionIdleTimeoutMs: number;
  /** Per-session memory for HTTP/2 (headers, buffers), in MiB. Default 10. */
  readonly maxSessionMemoryMb: number;
  /** Open connections at most; the listener closes the ones above at once. Default 1024. */
  readonly maxConnections: number;
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS: requests in flight on one connection. Default 100. */
  readonly maxStreamsPerConnection: number;
  /** Requests in flight on the whole server; above it, 503 / UNAVAILABLE with Retry-After. Default 512. */
  readonly maxInFlight: number;
  /**
   * Streams one HTTP/2 connection may see reset (rapid reset, CVE-2023-44487)
   * within `streamResetWindowMs`; one more and the connection gets
   * GOAWAY(ENHANCE_YOUR_CALM) and is closed. Default 200 per 10 s.
   */
  readonly maxStreamResets: number;
  readonly streamResetWindowMs: number;
  /** Serve TLS (h2 and http/1.1 by ALPN) instead of cleartext. */
  readonly tls?: TlsOptions;
}

export const defaultServerOptions: ServerOptions = {
  host: "127.0.0.1",
  port: 7070,
  maxBodyBytes: 65_536,
  maxHeaderBytes: 16_384,
  maxHeaderPairs: 128,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 60_000,
  sessionIdleTimeoutMs: 60_000,
  maxSessionMemoryMb: 10,
  maxConnections: 1024,
  maxStreamsPerConnection: 100,
  maxInFlight: 512,
  maxStreamResets: 200,
  streamResetWindowMs: 10_000,
};

/** The defaults with `overrides` on top; undefined values keep the default. */
export function resolveServerOptions(overrides: Partial<ServerOptions> = {}): ServerOptions {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const options = { ...defaultServerOptions, ...defined } as ServerOptions;
  for (const key of [
    "maxBodyBytes",
    "maxHeaderBytes",
    "maxHeaderPairs",
    "headersTimeoutMs",
    "requestTimeoutMs",
    "keepAliveTimeoutMs",
    "sessionIdleTimeoutMs",
    "maxSessionMemoryMb",
    "maxConnections",
    "maxStreamsPerConnection",
    "maxInFlight",
    "maxStreamResets",
    "streamResetWindowMs",
  ] as const) {
    if (!Number.isInteger(options[key]) || options[key] <= 0) {
      throw new RangeError(`server option ${key} must be a positive integer, got ${options[key]}`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    throw new RangeError(`server option port must be an integer in [0, 65535], got ${options.port}`);
  }
  if (options.headersTimeoutMs > options.requestTimeoutMs) {
    throw new RangeError("server option headersTimeoutMs must not exceed requestTimeoutMs");
  }
  return options;
}
