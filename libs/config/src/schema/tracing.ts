import * as z from "zod";
import { httpUrl, numberIn } from "./common.js";

/** `[tracing]`: OpenTelemetry spans exported over OTLP/HTTP (R-OBS-3); off unless enabled. */
export const tracingSchema = z.strictObject({
  enabled: z.boolean().default(false),
  // The OTLP/HTTP traces endpoint of a collector (Jaeger, Tempo, the OpenTelemetry Collector).
  otlp_endpoint: httpUrl().default("http://127.0.0.1:4318/v1/traces"),
  service_name: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'" })
    .default("llm-pool"),
  // Share of new traces kept; a client's sampled traceparent is always followed.
  sample_ratio: numberIn(0, 1).default(1),
  // Prompt text is personal data more often than not: it goes into spans only when asked for.
  include_prompts: z.boolean().default(false),
});
