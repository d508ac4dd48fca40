import { fromJson } from "@bufbuild/protobuf";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { LlmPoolService, QuerySchema } from "@llm-pool/contract";
import { Ollama } from "ollama";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rpcTransports } from "../transports.js";
import { KEYS, pacedCalls, startDoorsPool, type DoorsPool } from "./doors-fixture.js";

// R-API-6: a client that goes away mid-stream, or a deadline passing mid-stream, reaches the engine
// on every streaming edge: the engine's request is closed before its answer. The paced model
// (task site_tactics) writes a word every 200 ms over 2 s, so each test acts after its first word.
let doors: DoorsPool;
beforeAll(async () => {
  doors = await startDoorsPool();
}, 60_000);
afterAll(() => doors.stop());

/** Runs `stream` (which stops after its first piece of text) and returns the fate of the engine request it made. */
async function engineFateOf(stream: () => Promise<unknown>): Promise<string | undefined> {
  const before = pacedCalls(doors.engine).length;
  await stream();
  await doors.engine.waitForRecord((entries) => pacedCalls(entries)[before] !== undefined && pacedCalls(entries)[before]!.fate !== "pending");
  return pacedCalls(doors.engine)[before]!.fate;
}

const bearer: Interceptor = (next) => (req) => {
  req.header.set("authorization", `Bearer ${KEYS.vvtv}`);
  return next(req);
};
const openai = () => new OpenAI({ baseURL: `${doors.url}/v1`, apiKey: KEYS.vvtv, maxRetries: 0 });
const ollama = () => new Ollama({ host: doors.ollamaUrl, headers: { Authorization: `Bearer ${KEYS.vvtv}` } });
const messages = (content: string) => [{ role: "user" as const, content }];

describe("R-API-6 the client going away mid-stream closes the engine's request", () => {
  it.each(["Connect JSON (HTTP/1.1)", "Connect binary (h2c)", "gRPC-Web binary (HTTP/1.1)"])("%s: an aborted InferStream", async (name) => {
    const client = createClient(LlmPoolService, rpcTransports(doors.url, [bearer])[name]!);
    const fate = await engineFateOf(async () => {
      const controller = new AbortController();
      const query = fromJson(QuerySchema, { task: "TASK_SITE_TACTICS", prompt: `leave ${name}` });
      const stopped = await (async () => {
        for await (const message of client.inferStream({ query }, { signal: controller.signal })) {
          if (message.event.case === "delta") controller.abort();
        }
      })().then(
        () => "ended",
        (error: unknown) => (error as Error).name,
      );
      expect(stopped).toBe("ConnectError");
    });
    expect(fate).toBe("cancelled");
  });

  it("the REST stream: a fetch aborted after its first delta event", async () => {
    const fate = await engineFateOf(async () => {
      const controller = new AbortController();
      const res = await fetch(`${doors.url}/v1/infer`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${KEYS.vvtv}` },
        body: JSON.stringify({ task: "TASK_SITE_TACTICS", prompt: "leave the REST stream" }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      let text = "";
      while (!text.includes("event: delta")) text += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
    });
    expect(fate).toBe("cancelled");
  });

  it("the OpenAI door: the official client's stream aborted after its first chunk of text", async () => {
    const fate = await engineFateOf(async () => {
      const stream = await openai().chat.completions.create({ model: "pool/site_tactics", messages: messages("leave the OpenAI door"), stream: true });
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) {
          stream.controller.abort();
          break;
        }
      }
    });
    expect(fate).toBe("cancelled");
  });

  it("the Ollama door: the official client's stream aborted after its first piece", async () => {
    const fate = await engineFateOf(async () => {
      const stream = await ollama().chat({ model: "pool/site_tactics", messages: messages("leave the Ollama door"), stream: true });
      const stopped = await (async () => {
        for await (const part of stream) if (part.message.content) stream.abort();
      })().then(
        () => "ended",
        (error: unknown) => (error as Error).name,
      );
      expect(stopped).toBe("AbortError");
    });
    expect(fate).toBe("cancelled");
  });
});

describe("R-API-6 a deadline passing mid-stream ends the stream with an error in the door's own format and closes the engine's request", () => {
  it("the OpenAI door: the official client raises an APIError naming the deadline", async () => {
    let error: unknown;
    let text = "";
    const fate = await engineFateOf(async () => {
      const stream = await openai().chat.completions.create({
        model: "pool/site_tactics",
        messages: messages("past the deadline, OpenAI"),
        stream: true,
        ...({ pool: { deadline_ms: 1000 } } as object),
      });
      try {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      } catch (caught) {
        error = caught;
      }
    });
    expect(text).not.toBe("");
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: "timeout_error", code: "deadline_exceeded" });
    expect(fate).toBe("cancelled");
  });

  it("the Ollama door: the official client raises the error line", async () => {
    let error: unknown;
    const fate = await engineFateOf(async () => {
      const stream = await ollama().chat({ model: "pool/site_tactics", messages: messages("past the deadline, Ollama"), stream: true, pool: { deadline_ms: 1000 } } as never);
      try {
        for await (const part of stream as AsyncIterable<unknown>) void part;
      } catch (caught) {
        error = caught;
      }
    });
    expect((error as Error).message).toMatch(/deadline/);
    expect(fate).toBe("cancelled");
  });
});
