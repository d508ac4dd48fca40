import { Counter, type Registry } from "prom-client";

/** What the transport turned away before any route saw it. */
export interface TransportMetrics {
  /** `reason` is the transport's closed set (max_connections, in_flight, stream_resets, ...). */
  refused(reason: string): void;
}

export function createTransportMetrics(registry: Registry): TransportMetrics {
  const refused = new Counter({
    name: "llmpool_transport_refused_total",
    help: "Connections, streams and requests the transport refused before any route, by reason.",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  return { refused: (reason) => refused.inc({ reason }) };
}
