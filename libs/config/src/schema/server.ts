import * as z from "zod";
import { filePath, intIn } from "./common.js";

export interface ListenAddress {
  host: string;
  port: number;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

/** "host:port", with an IPv6 host in brackets ("[::1]:7070"). Port 0 asks the OS for a free port. */
export function parseListen(value: string): ListenAddress | undefined {
  const match = /^(\[([^\]]+)\]|[^:[\]]+):(\d{1,5})$/.exec(value);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  const bracketed = match[2];
  if (bracketed !== undefined) {
    return IPV6.test(bracketed) && bracketed.includes(":") ? { host: bracketed, port } : undefined;
  }
  const host = match[1] ?? "";
  return IPV4.test(host) || HOSTNAME.test(host) ? { host, port } : undefined;
}

/**
 * A browser origin exactly as a browser sends it in `Origin`: scheme, host and an optional port,
 * nothing else. A wildcard, a path or a trailing slash would never match and is refused.
 */
const browserOrigin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
    } catch {
      return false;
    }
  },
  { error: 'must be an origin: scheme://host[:port] with no path or trailing slash (e.g. "https://app.example.com")' },
);

const tlsSchema = z.strictObject({
  cert_file: filePath(),
  key_file: filePath(),
  client_ca_file: filePath().optional(),
  require_client_cert: z.boolean().default(false),
});

export const serverSchema = z.strictObject({
  listen: z
    .string()
    .refine((v) => parseListen(v) !== undefined, {
      error: 'must be "host:port" (IPv6 hosts in brackets, e.g. "[::1]:7070")',
    })
    .default("127.0.0.1:7070"),
  max_body_bytes: intIn(1024, 16 * 1024 * 1024).default(65_536),
  max_header_bytes: intIn(1024, 65_536).default(16_384),
  header_timeout_ms: intIn(100, 120_000).default(10_000),
  request_timeout_ms: intIn(100, 600_000).default(30_000),
  idle_timeout_ms: intIn(100, 3_600_000).default(60_000),
  // Bounds on what clients can hold open (docs/CONFIG.md#server): excess connections are closed at
  // once, excess HTTP/2 streams refused (REFUSED_STREAM), excess requests answered 503 with Retry-After.
  max_connections: intIn(1, 1_000_000).default(1024),
  max_streams_per_connection: intIn(1, 10_000).default(100),
  max_in_flight: intIn(1, 1_000_000).default(512),
  shutdown_grace_ms: intIn(0, 300_000).default(10_000),
  metrics_public: z.boolean().default(true),
  // The compatible doors (R-API-7): the OpenAI routes on the main port, on unless switched off; the
  // Ollama API on a port of its own, off unless given one. Same auth, limits and [server] bounds.
  openai_compatible: z.boolean().default(true),
  ollama_listen: z
    .string()
    .refine((v) => parseListen(v) !== undefined, { error: 'must be "host:port" (IPv6 hosts in brackets, e.g. "[::1]:11434")' })
    .optional(),
  log_prompts: z.boolean().default(false),
  // Browser pages on these origins may call the pool (CORS); empty: no CORS headers at all.
  cors_allowed_origins: z.array(browserOrigin).max(100).default([]),
  tls: tlsSchema.optional(),
});
