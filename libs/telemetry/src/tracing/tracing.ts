import { AsyncLocalStorage } from "node:async_hooks";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, trace, type Context, type Span } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type SpanExporter,
} from "@opentelemetry/sdk-trace";
import type { EnsembleObserver, ProviderCallEnd, ProviderCallStart } from "@llm-pool/core";

/** `[tracing]` as the pool reads it at start. */
export interface TracingSettings {
  readonly enabled: boolean;
  /** The OTLP/HTTP traces endpoint. */
  readonly otlp_endpoint: string;
  readonly service_name: string;
  /** Share of new traces kept; a client's sampled traceparent is followed whatever it is. */
  readonly sample_ratio: number;
  readonly include_prompts: boolean;
}

/** The W3C trace context a client sent, as header values. */
export interface TraceCarrier {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/** What the request span records when the call is over. */
export interface RequestSpanEnd {
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** The error code when the call failed. */
  readonly error?: string;
}

/** One request's span, open until `end`. */
export interface RequestSpan {
  /**
   * Runs `work` with this span active: the provider calls it starts, at once
   * or later from its promises and timers, are the span's children. A
   * streamed request runs each step of its stream through here, as the steps
   * are pulled from the consumer's own context.
   */
  run<T>(work: () => T): T;
  /** Marks a moment of the request on the span (a stream's first token). */
  addEvent(name: string): void;
  /** Records how the call ended and closes the span; only the first call counts. */
  end(result: RequestSpanEnd): void;
}

/**
 * The pool's tracing (R-OBS-3): a span per request, continued from the
 * client's `traceparent`, with a child span per provider call (role
 * candidate, hedge or judge) carrying the model and the tokens. Spans of a
 * request find their parent through an AsyncLocalStorage owned by this
 * instance: no global tracer provider or context manager is installed, so
 * two pools in one process never mix their traces.
 */
export interface Tracing {
  /** Whether spans are recorded at all. */
  readonly enabled: boolean;
  /** Prompt text may go into spans (`[tracing] include_prompts`). */
  readonly includePrompts: boolean;
  /** Opens a request span named `name`, a child of the client's trace context when it sent a valid one. */
  startRequest(name: string, carrier: TraceCarrier, attributes: Readonly<Record<string, string | number | boolean>>): RequestSpan;
  /** Provider call spans, children of the request span that is active where the call starts. */
  readonly ensemble: EnsembleObserver;
  /** Exports the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Where spans go instead of OTLP/HTTP (tests: an InMemorySpanExporter); exported at once. */
  readonly exporter?: SpanExporter;
}

const propagator = new W3CTraceContextPropagator();

export function createTracing(settings: TracingSettings, options: TracingOptions = {}): Tracing {
  if (!settings.enabled) return disabledTracing;
  const processor = options.exporter
    ? new SimpleSpanProcessor({ exporter: options.exporter })
    : new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.otlp_endpoint }) });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.service_name }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sample_ratio) }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer("llm-pool");
  const active = new AsyncLocalStorage<Context>();

  return {
    enabled: true,
    includePrompts: settings.include_prompts,
    startRequest(name, carrier, attributes) {
      const parent = propagator.extract(ROOT_CONTEXT, { ...carrier }, defaultTextMapGetter);
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
      const context = trace.setSpan(parent, span);
      let ended = false;
      return {
        run: (work) => active.run(context, work),
        addEvent: (event) => void span.addEvent(event),
        end(result) {
          if (ended) return;
          ended = true;
          span.setAttributes(result.attributes);
          if (result.error) span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
          span.end();
        },
      };
    },
    ensemble: {
      callStarted(call: ProviderCallStart) {
        const span = tracer.startSpan(
          `llmpool.${call.role}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              "llmpool.provider": call.provider,
              "llmpool.task": call.task,
              "llmpool.role": call.role,
              "gen_ai.request.model": call.model,
            },
          },
          active.getStore() ?? ROOT_CONTEXT,
        );
        return (end: ProviderCallEnd) => endCallSpan(span, end);
      },
      decided() {},
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}

function endCallSpan(span: Span, end: ProviderCallEnd): void {
  span.setAttributes({
    "llmpool.status": end.status,
    "gen_ai.response.model": end.model,
    ...(end.usage
      ? { "gen_ai.usage.input_tokens": end.usage.promptTokens, "gen_ai.usage.output_tokens": end.usage.completionTokens }
      : {}),
  });
  // A cancelled loser or a skipped call is the strategy's choice, not a failure.
  if (end.status === "error" || end.status === "timeout" || end.status === "invalid") {
    span.setStatus({ code: SpanStatusCode.ERROR, message: end.error ?? end.status });
  }
  span.end();
}

const disabledTracing: Tracing = {
  enabled: false,
  includePrompts: false,
  startRequest: () => ({ run: (work) => work(), addEvent() {}, end() {} }),
  ensemble: { callStarted: () => () => {}, decided() {} },
  shutdown: async () => {},
};
