import type { CallContext } from "@llm-pool/core";

/**
 * The W3C trace context headers of a request, for CallContext. The values
 * are the client's: the tracer checks their format and starts a new trace
 * when they do not parse.
 */
export function traceHeaders(header: (name: string) => string | undefined): Pick<CallContext, "traceparent" | "tracestate"> {
  const traceparent = header("traceparent");
  const tracestate = header("tracestate");
  return {
    ...(traceparent ? { traceparent } : {}),
    ...(traceparent && tracestate ? { tracestate } : {}),
  };
}
