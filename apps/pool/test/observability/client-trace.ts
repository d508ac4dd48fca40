/** A traceparent as a client's own tracer would send it, with the ids a test looks its spans up by. */
export function clientTrace(): { traceId: string; spanId: string; traceparent: string } {
  const hex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}
