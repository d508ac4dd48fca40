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
    const request = tracing.startRequest("llmpool.infer", { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` }, { "llmpool.task": "judge" });
    await request.run(async () => {
      // The hedge starts later, from a timer: the request span is still found.
      const first = tracing.ensemble.callStarted({ provider: "phi3", model: "phi3:mini", task: "judge", role: "candidate" });
      await new Promise((r) => setTimeout(r, 5));
      const hedge = tracing.ensemble.callStarted({ provider: "qwen", model: "qwen:1b", task: "judge", role: "hedge" });
      hedge({ status: "ok", model: "qwen:1b-q4", usage: { promptTokens: 40, completionTokens: 9 } });
      first({ status: "cancelled", model: "phi3:mini" });
    });
    request.end({ attributes: { "llmpool.outcome": "ok" } });
    const spans = exporter.getFinishedSpans();
    const requestSpan = spans.find((s) => s.name === "llmpool.infer")!;
    expect(requestSpan.spanContext().traceId).toBe(TRACE_ID);
    expect(requestSpan.parentSpanContext?.spanId).toBe(CLIENT_SPAN);
    expect(requestSpan.attributes).toMatchObject({ "llmpool.task": "judge", "llmpool.outcome": "ok" });
    const calls = spans.filter((s) => s.name !== "llmpool.infer");
    expect(calls.map((s) => s.name).sort()).toEqual(["llmpool.candidate", "llmpool.hedge"]);
    for (const call of calls) {
      expect(call.spanContext().traceId).toBe(TRACE_ID);
      expect(call.parentSpanContext?.spanId).toBe(requestSpan.spanContext().spanId);
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
    tracing.startRequest("llmpool.infer", { traceparent: "00-not-a-trace-01" }, {}).end({ attributes: {} });
    tracing.startRequest("llmpool.infer", {}, {}).end({ attributes: {} });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
    expect(spans[0]!.spanContext().traceId).not.toBe(spans[1]!.spanContext().traceId);
  });

  it("keeps concurrent requests apart: each provider span is a child of its own request", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing(settings, { exporter });
    const run = async (n: number) => {
      const request = tracing.startRequest("llmpool.infer", {}, { "llmpool.request_id": `r${n}` });
      await request.run(async () => {
        await new Promise((r) => setTimeout(r, 10 - n * 3));
        tracing.ensemble.callStarted({ provider: `p${n}`, model: "m", task: "judge", role: "candidate" })({ status: "ok", model: "m" });
      });
      request.end({ attributes: {} });
    };
    await Promise.all([run(1), run(2), run(3)]);
    const spans = exporter.getFinishedSpans();
    for (const n of [1, 2, 3]) {
      const request = spans.find((s) => s.attributes["llmpool.request_id"] === `r${n}`)!;
      const call = spans.find((s) => s.attributes["llmpool.provider"] === `p${n}`)!;
      expect(call.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    }
  });

  it("a stream's steps, pulled from the consumer's context, each run in the request span: what they start is its child", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing(settings, { exporter });
    async function* engineStream() {
      const call = tracing.ensemble.callStarted({ provider: "phi3", model: "phi3:mini", task: "judge", role: "candidate" });
      yield "late ";
      await new Promise((r) => setTimeout(r, 5));
      yield "night";
      call({ status: "ok", model: "phi3:mini" });
    }
    const request = tracing.startRequest("llmpool.infer", { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` }, {});
    const steps = engineStream();
    for (;;) {
      const step = await request.run(() => steps.next());
      if (step.done) break;
      if (step.value === "late ") request.addEvent("llmpool.first_token");
    }
    request.end({ attributes: {} });
    const spans = exporter.getFinishedSpans();
    const requestSpan = spans.find((s) => s.name === "llmpool.infer")!;
    expect(spans.find((s) => s.name === "llmpool.candidate")!.parentSpanContext?.spanId).toBe(requestSpan.spanContext().spanId);
    expect(requestSpan.events.map((e) => e.name)).toEqual(["llmpool.first_token"]);
  });

  it("ends the request span once, with an error status when the call failed", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing(settings, { exporter });
    const request = tracing.startRequest("llmpool.infer", {}, {});
    request.end({ attributes: { "llmpool.outcome": "unavailable" }, error: "unavailable" });
    request.end({ attributes: { "llmpool.outcome": "ok" } });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status).toMatchObject({ code: 2, message: "unavailable" });
    expect(spans[0]!.attributes["llmpool.outcome"]).toBe("unavailable");
  });

  it("is off by default: nothing is recorded or exported", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing({ ...settings, enabled: false }, { exporter });
    const request = tracing.startRequest("llmpool.infer", { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` }, {});
    expect(await request.run(async () => 42)).toBe(42);
    request.end({ attributes: {} });
    tracing.ensemble.callStarted({ provider: "p", model: "m", task: "judge", role: "judge" })({ status: "ok", model: "m" });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
