// R-API-6 on the assembled pool: InferStream on every RPC transport (connect-node, and grpcio, the
// reference gRPC client) and the REST stream, with the real config, orchestrator, ensemble and Ollama
// driver, against the mock engine over real HTTP, which streams its answers word by word.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { AnswerSchema, CandidateStatus, LlmPoolService, ProgressStage, QuerySchema, type Answer, type InferStreamResponse } from "@llm-pool/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, pacedCalls, startDoorsPool, type DoorsPool } from "../doors/doors-fixture.js";
import { sseEvents } from "../sse-events.js";
import { rpcTransports } from "../transports.js";

const python = fileURLToPath(new URL("../../../../.venv/bin/python", import.meta.url));

let doors: DoorsPool;
beforeAll(async () => {
  doors = await startDoorsPool();
}, 60_000);
afterAll(() => doors.stop());

/** A bearer API key on every RPC, as an OpenAI-style client would send it. */
const bearer: Interceptor = (next) => (req) => {
  req.header.set("authorization", `Bearer ${KEYS.vvtv}`);
  return next(req);
};

const restStream = (body: Record<string, unknown>) =>
  fetch(`${doors.url}/v1/infer`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${KEYS.vvtv}` },
    body: JSON.stringify(body),
  });

const grpcClient = () => createClient(LlmPoolService, rpcTransports(doors.url, [bearer])["gRPC (h2c)"]!);

describe("R-API-6 InferStream on every RPC transport", () => {
  it.each(Object.keys(rpcTransports("http://x")))("%s: FASTEST streams the winner's tokens as deltas that join to the answer's output, the answer last", async (name) => {
    const client = createClient(LlmPoolService, rpcTransports(doors.url, [bearer])[name]!);
    const deltas: { provider: string; text: string }[] = [];
    let answer: Answer | undefined;
    for await (const message of client.inferStream({ query: fromJson(QuerySchema, { task: "TASK_EXPAND_QUERIES", prompt: `stream ${name}` }) })) {
      expect(answer, "nothing after the answer").toBeUndefined();
      if (message.event.case === "delta") deltas.push(message.event.value);
      else if (message.event.case === "answer") answer = message.event.value;
    }
    expect(answer?.winnerProvider).toBe("fast");
    // The engine wrote ten words one by one; the pool passed them on as they came, not as one piece.
    expect(deltas.length).toBeGreaterThan(1);
    expect(new Set(deltas.map((d) => d.provider))).toEqual(new Set(["fast"]));
    expect(deltas.map((d) => d.text).join("")).toBe(answer!.output);
  });

  it("tokens reach the client while the engine is still writing the answer", async () => {
    const before = pacedCalls(doors.engine).length;
    const messages: InferStreamResponse["event"]["case"][] = [];
    let engineAtFirstDelta: string | undefined;
    for await (const message of grpcClient().inferStream({ query: fromJson(QuerySchema, { task: "TASK_SITE_TACTICS", prompt: "still writing" }) })) {
      if (message.event.case === "delta" && engineAtFirstDelta === undefined) engineAtFirstDelta = pacedCalls(doors.engine)[before]?.fate;
      messages.push(message.event.case);
    }
    expect(engineAtFirstDelta).toBe("pending");
    expect(messages.filter((c) => c === "delta").length).toBe(10);
    expect(messages.at(-1)).toBe("answer");
    expect(pacedCalls(doors.engine)[before]?.fate).toBe("completed");
  });

  it("a collecting strategy: a progress message as each candidate ends, then the decided output as one delta and the answer", async () => {
    const events: InferStreamResponse["event"][] = [];
    for await (const message of grpcClient().inferStream({ query: fromJson(QuerySchema, { task: "TASK_ENRICH_METADATA", prompt: "Harbor at dusk" }) })) {
      events.push(message.event);
    }
    expect(events.map((e) => e.case)).toEqual(["progress", "progress", "delta", "answer"]);
    expect(events.slice(0, 2).map((e) => e.value)).toEqual([
      expect.objectContaining({ stage: ProgressStage.CANDIDATE, provider: "fast", status: CandidateStatus.OK }),
      expect.objectContaining({ stage: ProgressStage.CANDIDATE, provider: "slow", status: CandidateStatus.OK }),
    ]);
    expect((events[3]!.value as Answer).output).toBe((events[2]!.value as { text: string }).text);
  });
});

describe("R-API-6 InferStream through grpcio, the reference gRPC client", () => {
  it("server streaming: the FASTEST tokens, DEADLINE_EXCEEDED past grpc-timeout, and a cancel that closes the engine's request", async () => {
    expect(existsSync(python), `${python} is missing: run 'npm run setup'`).toBe(true);
    const before = pacedCalls(doors.engine).length;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(python, [fileURLToPath(new URL("grpcio_stream.py", import.meta.url)), new URL(doors.url).host, KEYS.vvtv], { timeout: 60_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      ),
    );
    const seen = JSON.parse(stdout) as {
      fastest: { case: string; provider?: string; text?: string; output?: string; winner?: string }[];
      deadline: { code: string; received: string[] };
      cancel: { first: string };
    };
    const deltas = seen.fastest.filter((m) => m.case === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(seen.fastest.at(-1)).toMatchObject({ case: "answer", winner: "fast", output: deltas.map((d) => d.text).join("") });
    expect(seen.deadline.code).toBe("DEADLINE_EXCEEDED");
    expect(seen.deadline.received).not.toContain("answer");
    expect(seen.cancel.first).toBe("delta");
    // The deadline's call and the cancelled one: both engine requests were closed before their answer.
    await doors.engine.waitForRecord((entries) => {
      const mine = pacedCalls(entries).slice(before);
      return mine.length === 2 && mine.every((e) => e.fate !== "pending");
    });
    expect(pacedCalls(doors.engine).slice(before).map((e) => e.fate)).toEqual(["cancelled", "cancelled"]);
  });
});

describe("R-API-6 the REST stream: POST /v1/infer with Accept: text/event-stream", () => {
  it("delta events as the engine writes, then the answer event in the JSON form the unstreamed route returns", async () => {
    const res = await restStream({ task: "TASK_EXPAND_QUERIES", prompt: "late night jazz" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = sseEvents(await res.text());
    expect(events.at(-1)!.event).toBe("answer");
    const answer = fromJson(AnswerSchema, events.at(-1)!.data as JsonValue);
    const deltas = events.filter((e) => e.event === "delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((e) => e.data["text"]).join("")).toBe(answer.output);
    expect(deltas[0]!.data["provider"]).toBe("fast");
  });

  it("a collecting strategy: one progress event per candidate, then the decided output as one delta and the answer", async () => {
    const events = sseEvents(await (await restStream({ task: "TASK_ENRICH_METADATA", prompt: "Harbor at dawn" })).text());
    expect(events.map((e) => e.event)).toEqual(["progress", "progress", "delta", "answer"]);
    expect(events.slice(0, 2).map((e) => e.data)).toEqual([
      expect.objectContaining({ stage: "PROGRESS_STAGE_CANDIDATE", provider: "fast", status: "CANDIDATE_STATUS_OK" }),
      expect.objectContaining({ stage: "PROGRESS_STAGE_CANDIDATE", provider: "slow", status: "CANDIDATE_STATUS_OK" }),
    ]);
    expect(events[3]!.data).toMatchObject({ strategyApplied: "STRATEGY_VOTING", output: events[2]!.data["text"] });
  });

  it("a query refused before any output keeps its status and JSON error body", async () => {
    const res = await restStream({ task: "TASK_EXPAND_QUERIES", prompt: "x", maxTokens: 100_000 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "invalid_argument", field: "max_tokens" });
  });

  it("the query's deadline passing mid-stream is an error event with the REST error body, and the engine's request is closed", async () => {
    const before = pacedCalls(doors.engine).length;
    const res = await restStream({ task: "TASK_SITE_TACTICS", prompt: "past the deadline", deadlineMs: 1000 });
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toEqual({ event: "error", data: expect.objectContaining({ code: "deadline_exceeded" }) });
    expect(events.map((e) => e.event)).not.toContain("answer");
    await doors.engine.waitForRecord((entries) => pacedCalls(entries)[before]?.fate !== "pending");
    expect(pacedCalls(doors.engine)[before]?.fate).toBe("cancelled");
  });
});
