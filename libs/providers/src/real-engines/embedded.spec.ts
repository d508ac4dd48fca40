import { mkdtempSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code } from "@llm-pool/core";
import {
  CUT_AT_EIGHT,
  deadlineOnceWorking,
  driverContext,
  embeddedConfig,
  expectRepeatable,
  expectSchemaAnswer,
  expectStreamedLikeWhole,
  LONG_STORY,
  probeUntil,
  providerError,
  quietHealthPolicy,
  smolLm2Path,
  snapshotOf,
} from "@llm-pool/providers/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedDriver } from "../embedded/index.js";
import { HealthMonitor } from "../health/health-monitor.js";
import { ProviderSet } from "../provider-set.js";

// R-PRV-7: the embedded driver (llama.cpp in this process through node-llama-cpp's
// prebuilt CPU binary, one thread) on SmolLM2-135M-Instruct, held to the same checks as the
// out-of-process engines.
const TEST_TIMEOUT_MS = 120_000;
const LOAD_TIMEOUT_MS = 300_000;
const open = () => new AbortController().signal;

describe("R-PRV-7 embedded driver in process (SmolLM2-135M-Instruct, 1 thread)", () => {
  // Every piece of generated text, in order, tagged with the phase the test was in when it arrived.
  let phase = "idle";
  const chunks: Array<{ phase: string; text: string }> = [];
  let onFirstLongChunk: (() => void) | undefined;
  let driver: EmbeddedDriver | undefined;
  const embedded = (): EmbeddedDriver => {
    if (!driver) throw new Error("the embedded model did not load (see the beforeAll error above)");
    return driver;
  };

  beforeAll(async () => {
    const config = embeddedConfig(smolLm2Path(), { name: "embedded-real", model: "SmolLM2-135M-Instruct", threads: 1, context_size: 2048 });
    driver = new EmbeddedDriver(config, driverContext(), {
      onTextChunk: (text) => {
        chunks.push({ phase, text });
        if (phase === "long") onFirstLongChunk?.();
      },
    });
    await driver.warmUp(open());
  }, LOAD_TIMEOUT_MS);

  afterAll(async () => {
    await driver?.close();
  }, LOAD_TIMEOUT_MS);

  it(
    "stops at maxTokens with finishReason length, usage from the sequence's token meter",
    async () => {
      const result = await embedded().infer(CUT_AT_EIGHT, open());
      expect(result.finishReason).toBe("length");
      expect(result.usage.completionTokens).toBe(CUT_AT_EIGHT.maxTokens);
      expect(result.usage.promptTokens).toBeGreaterThan(0);
      expect(result.text.length).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a json_schema grammar: the answer parses and matches the schema",
    async () => {
      await expectSchemaAnswer(embedded(), open());
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "seed + temperature 0 repeats exactly",
    async () => {
      await expectRepeatable(() => embedded(), open, "all");
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "R-API-6 streamed (llama.cpp's text chunks): pieces join to the text the unstreamed call gives, same usage",
    async () => {
      await expectStreamedLikeWhole(embedded(), open);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a deadline cancels the generation: timeout/DeadlineExceeded, and llama.cpp stops generating at once",
    async () => {
      chunks.length = 0;
      phase = "long";
      // The deadline starts at the first generated text (bounded: a minute without any is a failure).
      const generating = new Promise<void>((resolve, reject) => {
        onFirstLongChunk = resolve;
        setTimeout(() => reject(new Error("the embedded model generated nothing within 60 s")), 60_000).unref();
      });
      const deadline = deadlineOnceWorking(generating);
      const call = embedded().infer(LONG_STORY, deadline.signal);
      call.catch(() => {});
      await deadline.fired;
      const error = await providerError(call, "timeout");
      phase = "after-cancel";
      onFirstLongChunk = undefined;
      expect(error.code).toBe(Code.DeadlineExceeded);
      const generated = chunks.filter((c) => c.phase === "long").length;
      expect(generated).toBeGreaterThan(0);
      expect(generated).toBeLessThan(LONG_STORY.maxTokens);

      // Calls share one context sequence and run one at a time, so had the cancelled generation gone
      // on, its text would arrive here before the next call's, and the next call's token meter would
      // count its tokens too. Instead the next call's text is all that arrives after the rejection,
      // and its meter shows exactly its own 8 tokens.
      const next = await embedded().infer(CUT_AT_EIGHT, open());
      const after = chunks.filter((c) => c.phase === "after-cancel");
      expect(after.map((c) => c.text).join("")).toBe(next.text);
      expect(next.finishReason).toBe("length");
      expect(next.usage.completionTokens).toBe(CUT_AT_EIGHT.maxTokens);
      phase = "idle";
      console.info(`embedded stopped at the cancel: ${generated} text chunks of ${LONG_STORY.maxTokens} tokens, nothing after the rejection but the next call's ${next.usage.completionTokens} tokens`);
    },
    TEST_TIMEOUT_MS,
  );
});

describe("R-PRV-5 health of an embedded provider through ProviderSet + HealthMonitor", () => {
  // In process there is no server to stop: what an embedded provider needs is its model. Before the
  // model is loaded the probe checks the file; once loaded it stays healthy. The model here is the
  // setup's SmolLM2 in models/, behind a symlink the test removes and puts back.
  const dir = mkdtempSync(join(tmpdir(), "llm-pool-real-embedded-"));
  const link = join(dir, "model.gguf");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    "healthy while its model is there, unhealthy when it goes, healthy again when it returns; then it loads and answers",
    async () => {
      const name = "embedded-real";
      symlinkSync(smolLm2Path(), link);
      const config = await snapshotOf(`
[[providers]]
name = "${name}"
driver = "embedded"
model = "SmolLM2-135M-Instruct"
model_path = "${link}"
threads = 1
context_size = 256
max_concurrency = 1
`);
      const providers = new ProviderSet({ env: {}, healthPolicy: quietHealthPolicy });
      providers.apply(config);
      const monitor = new HealthMonitor(providers);
      monitor.start();
      try {
        const routed = () => providers.forTask(config, config.tasks.judge).map((p) => p.name);

        await probeUntil(monitor, providers, name, "healthy");
        expect(routed()).toEqual([name]);

        unlinkSync(link);
        // A load attempt while the file is gone fails, as it would at start.
        const [failed] = await providers.warmUp();
        expect(failed).toMatchObject({ provider: name, ok: false });
        await probeUntil(monitor, providers, name, "unhealthy");
        expect(providers.health(config)[0]!.lastError).toMatch(/model file/);
        expect(routed()).toEqual([]);

        // The probe retries the failed load, so the provider recovers without a reload.
        symlinkSync(smolLm2Path(), link);
        await probeUntil(monitor, providers, name, "healthy");
        expect(routed()).toEqual([name]);

        // Warm-up loads it (as the composition root does at start and after a reload), and it answers.
        const [warm] = await providers.warmUp();
        expect(warm).toMatchObject({ provider: name, ok: true });
        const answer = await providers.get(name)!.infer({ ...CUT_AT_EIGHT, prompt: "Once upon a time" }, open());
        expect(answer.finishReason).toBe("length");
        await probeUntil(monitor, providers, name, "healthy");
      } finally {
        monitor.stop();
        await providers.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
