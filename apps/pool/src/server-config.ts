import type { ServerConfig } from "@llm-pool/config";
import type { ServerOptions } from "./server-options.js";

/** Maps the `[server]` section of the config to the listener's options. */
export function serverOptionsFrom(server: ServerConfig): Partial<ServerOptions> {
  return {
    host: server.host,
    port: server.port,
    maxBodyBytes: server.max_body_bytes,
    maxHeaderBytes: server.max_header_bytes,
    headersTimeoutMs: server.header_timeout_ms,
    requestTimeoutMs: server.request_timeout_ms,
    // One idle bound for both protocols: an HTTP/1.1 keep-alive connection as long as an HTTP/2 session,
    // so a gateway pooling connections to the pool (NGINX keepalive_timeout) is not cut at Node's 5 s.
    keepAliveTimeoutMs: server.idle_timeout_ms,
    sessionIdleTimeoutMs: server.idle_timeout_ms,
    maxConnections: server.max_connections,
    maxStreamsPerConnection: server.max_streams_per_connection,
    maxInFlight: server.max_in_flight,
    ...(server.tls
      ? {
          tls: {
            certFile: server.tls.cert_file,
            keyFile: server.tls.key_file,
            ...(server.tls.client_ca_file ? { clientCaFile: server.tls.client_ca_file } : {}),
            requireClientCert: server.tls.require_client_cert,
          },
        }
      : {}),
  };
}
