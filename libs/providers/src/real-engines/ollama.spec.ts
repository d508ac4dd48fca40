import { Code } from "@llm-pool/core";
import {
  CUT_AT_EIGHT,
  deadlineOnceWorking,
  driverContext,
  ENGINE_START_TIMEOUT_MS,
  ENGINE_STOP_TIMEOUT_MS,
  EngineProcess,
  expectRepeatable,
  expectSchemaAnswer,
  expectStreamedLikeWhole,
  LONG_STORY,
  managed,
  ollamaConfig,
  probeUntil,
  providerError,
  quietHealthPolicy,
  smolLm2Path,
  snapshotOf,
} from "@llm-pool/providers/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthMonitor } from "../health/health-monitor.js";
import { OllamaDriver, type OllamaEndpoint } from "../ollama/index.js";
import { ProviderSet } from "../provider-set.js";

// R-PRV-7: the Ollama driver against a real `ollama serve` (v0.11.4 built from the Go
// module proxy by tools/engines/ollama.sh, cached), with SmolLM2 created from the local GGUF and
// num_thread 1, on a free loopback port. The suite starts and stops its own server.
// OLLAMA_DEBUG=1 makes the runner log each request's cache slot, which the cancellation test reads.
const MODEL = "smollm2";
const TEST_TIMEOUT_MS = 120_000;

let engine: EngineProcess | undefined;
const server = (): EngineProcess => {
  if (!engine) throw new Error("ollama did not start (see the beforeAll error above)");
  return engine;
};

beforeAll(async () => {
  engine = await EngineProcess.start("ollama", smolLm2Path(), MODEL, { OLLAMA_DEBUG: "1" });
}, ENGINE_START_TIMEOUT_MS);

afterAll(async () => {
  await engine?.dispose();
}, ENGINE_STOP_TIMEOUT_MS);

const open = () => new AbortController().signal;
const driver = (endpoint: OllamaEndpoint = "chat") =>
  new OllamaDriver(ollamaConfig(server().url, { name: "ollama-real", model: MODEL, endpoint } as never), driverContext());

describe("R-PRV-2 Ollama driver against a real Ollama (SmolLM2-135M-Instruct, num_thread 1)", () => {
  it.each<OllamaEndpoint>(["chat", "generate"])(
    "/api/%s stops at num_predict with done_reason length, and eval_count is the usage",
    async (endpoint) => {
      const result = await driver(endpoint).infer(CUT_AT_EIGHT, open());
      expect(result.finishReason).toBe("length");
      expect(result.usage.completionTokens).toBe(CUT_AT_EIGHT.maxTokens);
      expect(result.usage.promptTokens).toBeGreaterThan(0);
      expect(result.model).toBe(MODEL);
      expect(result.text.length).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it.each<OllamaEndpoint>(["chat", "generate"])(
    "/api/%s with format = a JSON schema: the answer parses and matches the schema",
    async (endpoint) => {
      await expectSchemaAnswer(driver(endpoint), open());
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "seed + temperature 0 repeats exactly",
    async () => {
      await expectRepeatable(() => driver(), open);
    },
    TEST_TIMEOUT_MS,
  );

  it.each<OllamaEndpoint>(["chat", "generate"])(
    "R-API-6 /api/%s streamed (NDJSON): pieces join to the text the unstreamed call gives, same usage",
    async (endpoint) => {
      await expectStreamedLikeWhole(driver(endpoint), open);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "R-API-6 a deadline in the middle of a stream: timeout after pieces arrived, and Ollama's runner stops generating",
    async () => {
      const pieces: string[] = [];
      let firstPiece!: () => void;
      const streaming = new Promise<void>((resolve) => (firstPiece = resolve));
      const deadline = deadlineOnceWorking(streaming);
      const call = driver().inferStream(LONG_STORY, deadline.signal, (text) => {
        pieces.push(text);
        firstPiece();
      });
      call.catch(() => {});
      await deadline.fired;
      const error = await providerError(call, "timeout");
      expect(error.code).toBe(Code.DeadlineExceeded);
      expect(pieces.length).toBeGreaterThan(0);

      // As for the unstreamed call: the next request's cache slot shows the cancelled sequence stopped short.
      const followUpOffset = server().logOffset();
      const next = await driver().infer({ ...LONG_STORY, maxTokens: 1 }, open());
      const slot = await server().waitForLog(/msg="loading cache slot" id=\d+ cache=(\d+) prompt=(\d+)/, followUpOffset);
      expect(Number(slot[2])).toBe(next.usage.promptTokens);
      expect(Number(slot[1])).toBeLessThan(next.usage.promptTokens + LONG_STORY.maxTokens);
      console.info(`ollama stream cut after ${pieces.length} pieces; runner's cache slot then held ${slot[1]} tokens`);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a deadline cancels the generation: timeout/DeadlineExceeded here, and Ollama aborts the completion and its runner stops",
    async () => {
      const offset = server().logOffset();
      // The deadline starts once Ollama's runner has taken the call's sequence (its debug log line).
      const deadline = deadlineOnceWorking(server().waitForLog(/msg="loading cache slot"/, offset));
      const call = driver().infer(LONG_STORY, deadline.signal);
      call.catch(() => {});
      await deadline.fired;
      const error = await providerError(call, "timeout");
      expect(error.code).toBe(Code.DeadlineExceeded);
      // The caller's deadline, not the engine's fault: the driver says so, and only PooledProvider, which
      // knows the model's typical time, may judge the engine slow (R-QOS-4).
      expect(error.callEnd).toBe("caller_gave_up");
      expect(error.countsAsFailure).toBe(false);

      // Ollama's access log: a non-streamed chat that generated to the end would log 200 even with
      // the client gone; 500 is the handler returning the completion's "context canceled" error,
      // i.e. the server dropped the generation (and the runner request bound to it) at the cancel.
      const access = await server().waitForLog(/\[GIN\][^\n]*\|\s*(\d{3})\s*\|[^\n]*\|\s*POST\s+"\/api\/chat"/, offset);
      expect(access[1], `Ollama logged: ${access[0]}`).toBe("500");

      // The runner's side: the next request reuses the one cache slot, and the runner logs how many
      // tokens the cancelled sequence had left in it (prompt + generated). Fewer than prompt + 1000
      // means the runner stopped generating at the cancel instead of running to num_predict.
      const followUpOffset = server().logOffset();
      const next = await driver().infer({ ...LONG_STORY, maxTokens: 1 }, open());
      expect(next.finishReason).toBe("length");
      const slot = await server().waitForLog(/msg="loading cache slot" id=\d+ cache=(\d+) prompt=(\d+)/, followUpOffset);
      const cached = Number(slot[1]);
      const prompt = Number(slot[2]);
      expect(prompt).toBe(next.usage.promptTokens);
      expect(cached).toBeLessThan(prompt + LONG_STORY.maxTokens);
      console.info(`ollama saw the cancel: ${access[0].trim()}; runner's cache slot then held ${cached} tokens (prompt ${prompt} + num_predict ${LONG_STORY.maxTokens})`);
    },
    TEST_TIMEOUT_MS,
  );
});

describe("R-PRV-5 residency by a real Ollama's own report (/api/ps)", () => {
  it(
    "resident after warm-up and by /api/ps (its expires_at parsed), not resident once unloaded and a probe ran",
    async () => {
      const provider = managed(ollamaConfig(server().url, { name: "ollama-real", model: MODEL, keep_alive: "10m" }));
      await provider.warmUp(open());
      expect(provider.isResident()).toBe(true);
      await provider.probe(open());
      expect(provider.isResident()).toBe(true);

      // Another client unloads it; Ollama drops the runner shortly after answering.
      const unload = await fetch(`${server().url}/api/generate`, { method: "POST", body: JSON.stringify({ model: MODEL, keep_alive: 0 }) });
      expect(unload.status).toBe(200);
      await unload.json();
      const seen: Array<boolean | undefined> = [];
      for (let i = 0; i < 50 && seen.at(-1) !== false; i++) {
        if (i > 0) await new Promise((wake) => setTimeout(wake, 100));
        await provider.probe(open());
        seen.push(provider.isResident());
      }
      expect(seen.at(-1), `residency seen after the unload: ${seen.join(", ")}`).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );
});

describe("R-PRV-5 health of a real Ollama through ProviderSet + HealthMonitor", () => {
  it(
    "healthy while it runs (/api/tags lists the model), unhealthy once stopped, healthy again after a restart on the same port",
    async () => {
      const name = "ollama-real";
      const config = await snapshotOf(`
[[providers]]
name = "${name}"
driver = "ollama"
base_url = "${server().url}"
model = "${MODEL}"
`);
      const providers = new ProviderSet({ env: {}, healthPolicy: quietHealthPolicy });
      providers.apply(config);
      const monitor = new HealthMonitor(providers);
      monitor.start();
      try {
        const routed = () => providers.forTask(config, config.tasks.judge).map((p) => p.name);

        await probeUntil(monitor, providers, name, "healthy");
        expect(routed()).toEqual([name]);

        await server().stop();
        expect(await server().status()).toBe(3);
        await probeUntil(monitor, providers, name, "unhealthy");
        expect(providers.health(config)[0]!.lastError).toMatch(/cannot reach the engine/);
        expect(routed()).toEqual([]);

        await server().start();
        await probeUntil(monitor, providers, name, "healthy");
        expect(routed()).toEqual([name]);
        const answer = await providers.get(name)!.infer(CUT_AT_EIGHT, open());
        expect(answer.finishReason).toBe("length");
      } finally {
        monitor.stop();
        await providers.close();
      }
    },
    ENGINE_START_TIMEOUT_MS,
  );
});
