import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { createTracing, type TracingSettings } from "./tracing.js";

const settings: TracingSettings = {
  enabled: true,
  otlp_endpoint: "http://127.0.0.1:4318/v1/traces",
  service_name: "llm-pool",
  sample_ratio: 1,
  include_prompts: false,
};
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_SPAN = "00f067aa0ba902b7";

describe("tracing (R-OBS-3)", () => {
  it("continues the client's traceparent: the request span is its child, provider calls are children of the request span", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing(settings, { exporter });
    await tracing.inRequest("llmpool.infer", { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` }, { "llmpool.task": "judge" }, async (end) => {
      // The hedge starts later, from a timer: the request span is still found.
      const first = tracing.ensemble.callStarted({ provider: "phi3", model: "phi3:mini", task: "judge", role: "candidate" });
      await new Promise((r) => setTimeout(r, 5));
      const hedge = tracing.ensemble.callStarted({ provider: "qwen", model: "qwen:1b", task: "judge", role: "hedge" });
      hedge({ status: "ok", model: "qwen:1b-q4", usage: { promptTokens: 40, completionTokens: 9 } });
      first({ status: "cancelled", model: "phi3:mini" });
      end({ attributes: { "llmpool.outcome": "ok" } });
    });
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === "llmpool.infer")!;
    expect(request.spanContext().traceId).toBe(TRACE_ID);
    expect(request.parentSpanContext?.spanId).toBe(CLIENT_SPAN);
    expect(request.attributes).toMatchObject({ "llmpool.task": "judge", "llmpool.outcome": "ok" });
    const calls = spans.filter((s) => s.name !== "llmpool.infer");
    expect(calls.map((s) => s.name).sort()).toEqual(["llmpool.candidate", "llmpool.hedge"]);
    for (const call of calls) {
      expect(call.spanContext().traceId).toBe(TRACE_ID);
      expect(call.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    }
    expect(calls.find((s) => s.name === "llmpool.hedge")!.attributes).toMatchObject({
      "llmpool.provider": "qwen",
      "gen_ai.request.model": "qwen:1b",
      "gen_ai.response.model": "qwen:1b-q4",
      "gen_ai.usage.input_tokens": 40,
      "gen_ai.usage.output_tokens": 9,
      "llmpool.status": "ok",
    });
  });

  it("starts a new trace when the client sent no traceparent or a malformed one", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing(settings, { exporter });
    await tracing.inRequest("llmpool.infer", { traceparent: "00-not-a-trace-01" }, {}, async () => {});
    await tracing.inRequest("llmpool.infer", {}, {}, async () => {});
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
    expect(spans[0]!.spanContext().traceId).not.toBe(spans[1]!.spanContext().traceId);
  });

  it("keeps concurrent requests apart: each provider span is a child of its own request", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing(settings, { exporter });
    const run = (n: number) =>
      tracing.inRequest("llmpool.infer", {}, { "llmpool.request_id": `r${n}` }, async () => {
        await new Promise((r) => setTimeout(r, 10 - n * 3));
        tracing.ensemble.callStarted({ provider: `p${n}`, model: "m", task: "judge", role: "candidate" })({ status: "ok", model: "m" });
      });
    await Promise.all([run(1), run(2), run(3)]);
    const spans = exporter.getFinishedSpans();
    for (const n of [1, 2, 3]) {
      const request = spans.find((s) => s.attributes["llmpool.request_id"] === `r${n}`)!;
      const call = spans.find((s) => s.attributes["llmpool.provider"] === `p${n}`)!;
      expect(call.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    }
  });

  it("closes the request span with an error status when the work throws", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing(settings, { exporter });
    await expect(
      tracing.inRequest("llmpool.infer", {}, {}, async (end) => {
        end({ attributes: { "llmpool.outcome": "unavailable" }, error: "unavailable" });
        throw new Error("no provider");
      }),
    ).rejects.toThrow("no provider");
    const [span] = exporter.getFinishedSpans();
    expect(span!.status).toMatchObject({ code: 2, message: "unavailable" });
  });

  it("is off by default: nothing is recorded or exported", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing({ ...settings, enabled: false }, { exporter });
    expect(await tracing.inRequest("llmpool.infer", { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` }, {}, async () => 42)).toBe(42);
    tracing.ensemble.callStarted({ provider: "p", model: "m", task: "judge", role: "judge" })({ status: "ok", model: "m" });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
