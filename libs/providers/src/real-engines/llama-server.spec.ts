import { Code } from "@llm-pool/core";
import {
  CUT_AT_EIGHT,
  CUT_AT_EIGHT_RAW,
  deadlineOnceWorking,
  driverContext,
  ENGINE_START_TIMEOUT_MS,
  ENGINE_STOP_TIMEOUT_MS,
  EngineProcess,
  expectRepeatable,
  expectSchemaAnswer,
  expectStreamedLikeWhole,
  LONG_STORY,
  openAiConfig,
  pollUntil,
  probeUntil,
  providerError,
  quietHealthPolicy,
  smolLm2Path,
  snapshotOf,
} from "@llm-pool/providers/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthMonitor } from "../health/health-monitor.js";
import { OpenAiDriver } from "../openai/index.js";
import { ProviderSet } from "../provider-set.js";

// R-PRV-7: the OpenAI driver against a real llama.cpp llama-server (built from
// node-llama-cpp's llama.cpp bundle by tools/engines/llama-server.sh, cached), serving SmolLM2 with
// one thread on a free loopback port. The suite starts and stops its own server.
const MODEL = "smollm2";
const TEST_TIMEOUT_MS = 120_000;

let engine: EngineProcess | undefined;
const server = (): EngineProcess => {
  if (!engine) throw new Error("llama-server did not start (see the beforeAll error above)");
  return engine;
};

beforeAll(async () => {
  engine = await EngineProcess.start("llama-server", smolLm2Path(), MODEL);
}, ENGINE_START_TIMEOUT_MS);

afterAll(async () => {
  await engine?.dispose();
}, ENGINE_STOP_TIMEOUT_MS);

const open = () => new AbortController().signal;
const driver = (endpoint: "chat" | "completions" = "chat") =>
  new OpenAiDriver(openAiConfig(server().url, { name: "llama-server-real", model: MODEL, endpoint }), driverContext());

interface Slot {
  readonly id: number;
  readonly id_task: number;
  readonly is_processing: boolean;
}

async function slots(): Promise<Slot[]> {
  const response = await fetch(`${server().url}/slots`);
  if (!response.ok) throw new Error(`GET /slots answered HTTP ${response.status}`);
  return (await response.json()) as Slot[];
}

describe("R-PRV-3 OpenAI driver against a real llama-server (SmolLM2-135M-Instruct, 1 thread)", () => {
  it.each(["chat", "completions"] as const)(
    "/v1/%s stops at max_tokens with finishReason length and exact usage",
    async (endpoint) => {
      // /v1/completions has no chat template: it gets a story opening to continue.
      const result = await driver(endpoint).infer(endpoint === "chat" ? CUT_AT_EIGHT : CUT_AT_EIGHT_RAW, open());
      expect(result.finishReason).toBe("length");
      expect(result.usage.completionTokens).toBe(8);
      expect(result.usage.promptTokens).toBeGreaterThan(0);
      expect(result.model).toBe(MODEL);
      expect(result.text.length).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "response_format json_schema: the answer parses and matches the schema",
    async () => {
      await expectSchemaAnswer(driver(), open());
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

  it(
    "R-API-6 streamed (server-sent events): pieces join to the text the unstreamed call gives, same usage",
    async () => {
      await expectStreamedLikeWhole(driver(), open);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a deadline cancels the generation: timeout/DeadlineExceeded here, and llama-server cancels the task and frees the slot",
    async () => {
      const offset = server().logOffset();
      // The deadline starts once llama-server has launched the call's task on its slot.
      const launched = server().waitForLog(/launch_slot_: id +\d+ \| task (\d+) \| processing task/, offset);
      const deadline = deadlineOnceWorking(launched);
      const call = driver().infer(LONG_STORY, deadline.signal);
      call.catch(() => {});
      await deadline.fired;
      const error = await providerError(call, "timeout");
      expect(error.code).toBe(Code.DeadlineExceeded);
      // The caller's deadline, not the engine's fault: the driver says so, and only PooledProvider, which
      // knows the model's typical time, may judge the engine slow (R-QOS-4).
      expect(error.callEnd).toBe("caller_gave_up");
      expect(error.countsAsFailure).toBe(false);

      // The engine's side, from its own log: the task our request launched was cancelled when the
      // connection closed, and the slot released it holding fewer tokens than prompt + max_tokens.
      const task = (await launched)[1]!;
      await server().waitForLog(new RegExp(`cancel task, id_task = ${task}\\b`), offset);
      const released = await server().waitForLog(new RegExp(`release: id +\\d+ \\| task ${task} \\| stop processing: n_tokens = (\\d+)`), offset);
      const slotTokens = Number(released[1]);

      // And from its API: /slots shows that task's slot idle (bounded polling; no new request was sent).
      const idle = await pollUntil(async () => {
        const all = await slots();
        return all.some((slot) => String(slot.id_task) === task) && all.every((slot) => !slot.is_processing) ? all : undefined;
      }, 30_000);
      expect(idle, `/slots never showed task ${task} idle`).toBeDefined();

      // The server answers again at once, and the cancelled task stopped well short of max_tokens.
      const next = await driver().infer({ ...LONG_STORY, maxTokens: 1 }, open());
      expect(next.finishReason).toBe("length");
      expect(slotTokens).toBeLessThan(next.usage.promptTokens + LONG_STORY.maxTokens);
      console.info(
        `llama-server saw the cancel: task ${task} cancelled, slot released at n_tokens=${slotTokens} ` +
          `(prompt ${next.usage.promptTokens} + max_tokens ${LONG_STORY.maxTokens}), /slots idle`,
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe("R-PRV-5 health of a real llama-server through ProviderSet + HealthMonitor", () => {
  it(
    "healthy while it runs, unhealthy once stopped, healthy again after a restart on the same port",
    async () => {
      const config = await snapshotOf(`
[[providers]]
name = "llama-server-real"
driver = "openai"
base_url = "${server().url}/v1"
model = "${MODEL}"
`);
      const providers = new ProviderSet({ env: {}, healthPolicy: quietHealthPolicy });
      providers.apply(config);
      const monitor = new HealthMonitor(providers);
      monitor.start();
      try {
        const name = "llama-server-real";
        const state = () => providers.health(config)[0]!.state;
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
        expect(state()).toBe("healthy");
        expect(routed()).toEqual([name]);
        // Really serving again, through the provider set's provider.
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
