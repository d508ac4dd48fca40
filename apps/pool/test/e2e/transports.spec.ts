// R-API-3 and R-API-4 on the assembled pool: real config, orchestrator,
// ensemble and Ollama driver, against the mock engine over real HTTP.
import { create, fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { Code as RpcCode, ConnectError, createClient } from "@connectrpc/connect";
import { AnswerSchema, ErrorDetailSchema, LlmPoolService, QuerySchema, Task, type Answer } from "@llm-pool/contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bufCurl } from "../buf-curl.js";
import { rpcTransports } from "../transports.js";
import { poolToml, startEngine, startTestPool, type MockEngine, type PoolUnderTest } from "./pool-harness.js";

let engine: MockEngine;
let pool: PoolUnderTest;

beforeAll(async () => {
  engine = await startEngine();
  pool = await startTestPool(poolToml(engine.url));
});
afterAll(async () => {
  await pool?.stop();
  await engine?.close();
});

/** The parts of an Answer that must not depend on the transport. */
function comparable(answer: Answer): unknown {
  const json = toJson(AnswerSchema, answer) as Record<string, unknown>;
  const { requestId: _r, durationMs: _d, decision, ...rest } = json;
  const { candidates, ...decisionRest } = (decision ?? {}) as { candidates?: Record<string, unknown>[] };
  return { ...rest, decision: { ...decisionRest, candidates: candidates?.map(({ latencyMs: _l, ...c }) => c) } };
}

// no-store: every transport runs the ensemble, so the comparison is of fresh answers.
const queryJson = {
  task: "TASK_EXPAND_QUERIES",
  prompt: "cinematic lounge, ambient slow burn",
  maxTokens: 8,
  meta: { cache: "no-store" },
};

describe("the assembled pool answers the same on every transport (R-API-3)", () => {
  it("gives equal Answers over gRPC, gRPC-Web, Connect, buf curl and REST", async () => {
    const answers: Record<string, unknown> = {};
    for (const [name, transport] of Object.entries(rpcTransports(pool.url))) {
      const client = createClient(LlmPoolService, transport);
      const { answer } = await client.infer({ query: fromJson(QuerySchema, { ...queryJson, requestId: `rpc-${Object.keys(answers).length}` }) });
      answers[name] = comparable(answer!);
    }
    for (const protocol of ["grpc", "connect"] as const) {
      const curl = await bufCurl(`${pool.url}/vvtv.llmpool.v1.LlmPoolService/Infer`, {
        protocol,
        data: JSON.stringify({ query: queryJson }),
      });
      expect(curl.code, curl.stderr).toBe(0);
      answers[`buf curl ${protocol}`] = comparable(fromJson(AnswerSchema, (JSON.parse(curl.stdout) as { answer: JsonValue }).answer));
    }
    const rest = await fetch(`${pool.url}/v1/infer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(queryJson),
    });
    expect(rest.status).toBe(200);
    answers["REST /v1/infer"] = comparable(fromJson(AnswerSchema, (await rest.json()) as JsonValue));

    const first = Object.values(answers)[0] as { winnerProvider: string; output: string };
    expect(first.winnerProvider).toBe("fast");
    expect(first.output.split(" ")).toHaveLength(8);
    for (const [name, answer] of Object.entries(answers)) expect(answer, name).toEqual(first);
    expect(Object.keys(answers)).toHaveLength(11);
  });
});

const bounds: [string, Record<string, unknown>, string][] = [
  ["deadline_ms above max_deadline_ms", { deadlineMs: 5001 }, "deadline_ms"],
  ["max_tokens above the cap", { maxTokens: 257 }, "max_tokens"],
  ["prompt above max_prompt_bytes", { prompt: "x".repeat(4097) }, "prompt"],
  ["a missing task", { task: "TASK_UNSPECIFIED" }, "task"],
];

describe("every bound is refused before any engine call, on every transport (R-API-4)", () => {
  for (const [bound, override, field] of bounds) {
    it(`${bound}: invalid_argument naming ${field}`, async () => {
      const before = engine.record().length;
      const query = { ...queryJson, ...override };
      for (const [name, transport] of Object.entries(rpcTransports(pool.url))) {
        const client = createClient(LlmPoolService, transport);
        const error = await client.infer({ query: fromJson(QuerySchema, query) }).then(
          () => undefined,
          (e: unknown) => ConnectError.from(e),
        );
        expect(error?.code, name).toBe(RpcCode.InvalidArgument);
        expect(error?.rawMessage, name).toMatch(new RegExp(`^${field}: `));
        const [detail] = error!.findDetails(ErrorDetailSchema);
        expect(detail, name).toMatchObject({ code: "invalid_argument", field });
      }
      const rest = await fetch(`${pool.url}/v1/infer`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(query),
      });
      expect(rest.status).toBe(400);
      expect(await rest.json()).toMatchObject({ code: "invalid_argument", field });
      expect(engine.record().length).toBe(before);
    });
  }

  it("answers unavailable when the task's only provider is down", async () => {
    const stopped = await startEngine();
    await stopped.close();
    const other = await startTestPool(poolToml(stopped.url));
    try {
      const client = createClient(LlmPoolService, rpcTransports(other.url)["gRPC (h2c)"]!);
      const error = await client
        .infer({ query: create(QuerySchema, { task: Task.EXPAND_QUERIES, prompt: "x" }) })
        .catch((e: unknown) => ConnectError.from(e));
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).code).toBe(RpcCode.Unavailable);
    } finally {
      await other.stop();
    }
  });
});

describe("metrics of the assembled pool (R-OBS-1)", () => {
  it("exports durations, decisions, cache, breaker, reload and provider health metrics with their labels", async () => {
    const res = await fetch(`${pool.url}/v1/infer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ task: "TASK_EXPAND_QUERIES", prompt: "metrics probe", maxTokens: 4 }),
    });
    expect(res.status).toBe(200);
    const body = await (await fetch(`${pool.url}/metrics`)).text();
    expect(body).toMatch(
      /^llmpool_infer_duration_ms_count\{tenant="default",project="default",task="expand_queries",strategy="FASTEST",provider="fast",api="native",transport="http",mode="unary"\} \d+$/m,
    );
    expect(body).toMatch(/^llmpool_ensemble_decision_total\{task="expand_queries",strategy="FASTEST",applied="FASTEST"\} \d+$/m);
    expect(body).toMatch(/^llmpool_requests_total\{tenant="default",project="default",task="expand_queries",strategy="FASTEST",api="native",transport="http",mode="unary",code="ok"\} \d+$/m);
    expect(body).toMatch(/^llmpool_cache_hit_ratio [\d.]+$/m);
    expect(body).toMatch(/^llmpool_provider_health\{provider="fast",state="(healthy|unknown)"\} 1$/m);
    for (const name of ["llmpool_timeouts_total", "llmpool_breaker_open_total", "llmpool_config_reload_total", "llmpool_config_last_reload_success"]) {
      expect(body).toContain(`# TYPE ${name} `);
    }
  });
});
