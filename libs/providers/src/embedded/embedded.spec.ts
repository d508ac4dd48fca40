import { Code, PoolError, type ProviderRequest } from "@llm-pool/core";
import { driverContext, embeddedConfig, providerError, smolLm2Path } from "@llm-pool/providers/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { EmbeddedDriver } from "./index.js";

// llama.cpp in process against the model `npm run setup` fetches into models/ (SmolLM2-135M-Instruct,
// sha256-checked; a missing file fails with the command that fetches it). One thread and at most 16
// tokens per call keep this quick.
const modelPath = smolLm2Path();
const open = () => new AbortController().signal;

const story: ProviderRequest = {
  task: "enrich_metadata",
  prompt: "Once upon a time",
  maxTokens: 8,
  temperature: 0,
  seed: 7,
  output: { kind: "text" },
};

describe("R-PRV-7 embedded driver (llama.cpp, the setup's model in models/)", () => {
  let chunks = 0;
  let abortOnChunk: AbortController | undefined;
  const driver = new EmbeddedDriver(embeddedConfig(modelPath, { threads: 1, context_size: 512 }), driverContext(), {
    onTextChunk: () => {
      chunks++;
      abortOnChunk?.abort(new PoolError(Code.Canceled, "another candidate won"));
    },
  });
  afterAll(() => driver.close());

  it("is healthy before loading (file readable), loads once at warm-up, and generates", async () => {
    await driver.probe();
    expect(driver.isResident()).toBe(false);
    await driver.warmUp(open());
    expect(driver.isResident()).toBe(true);
    await driver.warmUp(open());
    await driver.probe();
    const result = await driver.infer(story, open());
    expect(result.model).toBe("SmolLM2-135M-Instruct");
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.usage.promptTokens).toBeGreaterThan(0);
  });

  it("stops at maxTokens with finishReason length", async () => {
    const result = await driver.infer({ ...story, maxTokens: 5 }, open());
    expect(result.finishReason).toBe("length");
    expect(result.usage.completionTokens).toBe(5);
  });

  it("a json_schema grammar constrains the answer to JSON that parses and fits the schema", async () => {
    const schema = { enum: ["yes", "no"] };
    const result = await driver.infer({ ...story, maxTokens: 16, output: { kind: "json_schema", schema } }, open());
    expect(result.finishReason).toBe("stop");
    expect(["yes", "no"]).toContain(JSON.parse(result.text));
  });

  it("a JSON answer cut by maxTokens comes back as it is, with finishReason length", async () => {
    const result = await driver.infer({ ...story, maxTokens: 4, output: { kind: "json" } }, open());
    expect(result.finishReason).toBe("length");
    expect(result.text.trimStart().startsWith("{")).toBe(true);
  });

  it("the same seed at temperature 0 repeats exactly, also for calls queued together (no history bleeds between them)", async () => {
    const request = { ...story, maxTokens: 12 };
    const [a, b] = await Promise.all([driver.infer(request, open()), driver.infer(request, open())]);
    const c = await driver.infer(request, open());
    expect(b.text).toBe(a.text);
    expect(c.text).toBe(a.text);
    expect(c.usage).toEqual(a.usage);
  });

  it("aborting stops generation mid-answer, rejects as cancelled, and the next call works", async () => {
    chunks = 0;
    abortOnChunk = new AbortController();
    const error = await providerError(driver.infer({ ...story, maxTokens: 16 }, abortOnChunk.signal), "cancelled");
    abortOnChunk = undefined;
    expect(error.code).toBe(Code.Canceled);
    expect(chunks).toBeGreaterThan(0);
    expect(chunks).toBeLessThan(16);
    await expect(driver.infer(story, open())).resolves.toMatchObject({ finishReason: "length" });
  });
});

describe("R-PRV-5 embedded driver without its model", () => {
  it("a missing model file is model_missing for the probe and for calls", async () => {
    const driver = new EmbeddedDriver(embeddedConfig("/nonexistent/model.gguf"), driverContext());
    await providerError(driver.probe(), "model_missing");
    await providerError(driver.infer(story, open()), "model_missing");
    expect(driver.isResident()).toBe(false);
    await driver.close();
    await providerError(driver.infer(story, open()), "engine");
  });
});
