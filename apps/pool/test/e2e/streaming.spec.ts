// R-API-6 on the assembled pool: InferStream on every RPC transport and the REST stream, with the
// real config, orchestrator, ensemble and Ollama driver, against the mock engine over real HTTP.
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { AnswerSchema, LlmPoolService, QuerySchema, type Answer } from "@llm-pool/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYS, startDoorsPool, type DoorsPool } from "../doors/doors-fixture.js";
import { rpcTransports } from "../transports.js";

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

export interface SseEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/** Server-sent events of a whole body (the pool writes `event:` and one `data:` line per event). */
export function sseEvents(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const fields = Object.fromEntries(block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]));
      return { event: fields["event"]!, data: JSON.parse(fields["data"]!) as Record<string, unknown> };
    });
}

const restStream = (body: Record<string, unknown>) =>
  fetch(`${doors.url}/v1/infer`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${KEYS.vvtv}` },
    body: JSON.stringify(body),
  });

describe("R-API-6 InferStream on every RPC transport", () => {
  it.each(Object.keys(rpcTransports("http://x")))("%s: deltas that join to the answer's output, the answer last", async (name) => {
    const client = createClient(LlmPoolService, rpcTransports(doors.url, [bearer])[name]!);
    const deltas: string[] = [];
    let answer: Answer | undefined;
    for await (const message of client.inferStream({ query: fromJson(QuerySchema, { task: "TASK_EXPAND_QUERIES", prompt: `stream ${name}` }) })) {
      expect(answer, "nothing after the answer").toBeUndefined();
      if (message.event.case === "delta") deltas.push(message.event.value.text);
      else if (message.event.case === "answer") answer = message.event.value;
    }
    expect(answer?.winnerProvider).toBe("fast");
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join("")).toBe(answer!.output);
  });
});

describe("R-API-6 the REST stream: POST /v1/infer with Accept: text/event-stream", () => {
  it("delta events, then the answer event in the JSON form the unstreamed route returns", async () => {
    const res = await restStream({ task: "TASK_EXPAND_QUERIES", prompt: "late night jazz" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = sseEvents(await res.text());
    expect(events.at(-1)!.event).toBe("answer");
    const answer = fromJson(AnswerSchema, events.at(-1)!.data as JsonValue);
    const deltas = events.filter((e) => e.event === "delta");
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.map((e) => e.data["text"]).join("")).toBe(answer.output);
    expect(deltas[0]!.data["provider"]).toBe("fast");
  });

  it("a collecting strategy: one progress event per candidate, then the decided output as one delta and the answer", async () => {
    const events = sseEvents(await (await restStream({ task: "TASK_ENRICH_METADATA", prompt: "Harbor at dawn" })).text());
    expect(events.map((e) => e.event)).toEqual(["progress", "progress", "delta", "answer"]);
    expect(events.slice(0, 2).map((e) => e.data)).toEqual([
      expect.objectContaining({ stage: "candidate", provider: "fast", status: "ok" }),
      expect.objectContaining({ stage: "candidate", provider: "slow", status: "ok" }),
    ]);
    expect(events[3]!.data).toMatchObject({ strategyApplied: "STRATEGY_VOTING", output: events[2]!.data["text"] });
  });

  it("a query refused before any output keeps its status and JSON error body", async () => {
    const res = await restStream({ task: "TASK_EXPAND_QUERIES", prompt: "x", maxTokens: 100_000 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "invalid_argument", field: "max_tokens" });
  });
});
