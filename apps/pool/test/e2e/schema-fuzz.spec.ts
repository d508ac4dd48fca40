// A client's output schema is untrusted code for the validator. One request with
// `{"$ref":"#"}` used to overflow the stack inside Ajv's generated validator and end the process.
// The assembled pool runs here in-process against the mock engine, which answers JSON built from
// the schema, so every schema that compiles reaches validation. If any request could end the
// process, this test's process would end with it.
import { fromJson } from "@bufbuild/protobuf";
import { Code as RpcCode, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { ErrorDetailSchema, LlmPoolService, QuerySchema } from "@llm-pool/contract";
import { startMockEngine } from "@llm-pool/mock-engine";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPool, type MockEngine, type PoolUnderTest } from "./pool-harness.js";

let engine: MockEngine;
let pool: PoolUnderTest;

// An answer that makes a backtracking engine run for hours on `^(a+)+$` and its kin.
const EVIL_ANSWER = JSON.stringify(`${"a".repeat(40)}!`);

beforeAll(async () => {
  engine = await startMockEngine({
    scenario: {
      seed: 1,
      slots: 8,
      models: {
        "json:1b": {
          latency: { kind: "fixed", ms: 1 },
          answers: [
            { match: { contains: "EVIL" }, mode: "text", text: EVIL_ANSWER },
            { match: { contains: "OBJECTS" }, mode: "text", text: JSON.stringify({ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: `${"a".repeat(40)}!` }) },
            { mode: "echo-hash" },
          ],
        },
      },
    },
  });
  pool = await startTestPool(`
[server]
listen = "127.0.0.1:0"
# Large enough that a 1 MB schema reaches the query's own checks instead of the body limit.
max_body_bytes = 2097152

[qos]
max_deadline_ms = 5000
default_deadline_ms = 4000
max_tokens_cap = 256
default_max_tokens = 64

# Failed candidates must not switch the provider off in the middle of the run.
[breaker]
window_size = 10000
min_calls = 10000

[[providers]]
name = "json"
driver = "ollama"
base_url = "${engine.url}"
model = "json:1b"
engine = "mock"
max_concurrency = 8

[tasks.expand_queries]
strategy = "FASTEST"
providers = ["json"]
output = "text"

[tenancy]
auth = "none"
allow_unauthenticated = true
`);
});
afterAll(async () => {
  await pool?.stop();
  await engine?.close();
});

/** Engine calls that generate for a query (health probes and warm-up loads aside). */
const generations = () => engine.record().filter((e) => (e.route === "/api/chat" || e.route === "/api/generate") && e.done_reason !== "load").length;

type TransportName = "REST /v1/infer" | "Connect JSON" | "gRPC" | "gRPC-Web";
const TRANSPORTS: readonly TransportName[] = ["REST /v1/infer", "Connect JSON", "gRPC", "gRPC-Web"];

/** How one request ended, in the terms the issue allows: an answer, a refusal naming the field, or a listed 5xx. */
type Outcome =
  | { readonly kind: "answer" }
  | { readonly kind: "refused"; readonly field: string; readonly message: string }
  | { readonly kind: "listed-5xx"; readonly code: string }
  | { readonly kind: "other"; readonly detail: string };

function rpcTransport(name: Exclude<TransportName, "REST /v1/infer">, baseUrl: string): Transport {
  if (name === "gRPC") return createGrpcTransport({ baseUrl });
  if (name === "gRPC-Web") return createGrpcWebTransport({ baseUrl, httpVersion: "1.1" });
  return createConnectTransport({ baseUrl, httpVersion: "1.1" });
}

async function send(transport: TransportName, schemaText: string, prompt: string): Promise<Outcome> {
  const query = {
    task: "TASK_EXPAND_QUERIES",
    prompt,
    meta: { cache: "no-store" },
    output: { kind: "OUTPUT_KIND_JSON_SCHEMA", jsonSchema: schemaText },
  };
  if (transport === "REST /v1/infer") {
    const res = await fetch(`${pool.url}/v1/infer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(query) });
    const body = (await res.json()) as { code?: string; field?: string; message?: string };
    if (res.status === 200) return { kind: "answer" };
    if (res.status === 400 && body.code === "invalid_argument") return { kind: "refused", field: body.field ?? "", message: body.message ?? "" };
    if ((res.status === 503 && body.code === "unavailable") || (res.status === 504 && body.code === "deadline_exceeded")) {
      return { kind: "listed-5xx", code: body.code };
    }
    return { kind: "other", detail: `${transport}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}` };
  }
  const client = createClient(LlmPoolService, rpcTransport(transport, pool.url));
  try {
    await client.infer({ query: fromJson(QuerySchema, query) });
    return { kind: "answer" };
  } catch (thrown) {
    const error = ConnectError.from(thrown);
    const [detail] = error.findDetails(ErrorDetailSchema);
    if (error.code === RpcCode.InvalidArgument) return { kind: "refused", field: detail?.field ?? "", message: error.rawMessage };
    if (error.code === RpcCode.Unavailable || error.code === RpcCode.DeadlineExceeded) return { kind: "listed-5xx", code: RpcCode[error.code] };
    return { kind: "other", detail: `${transport}: ${RpcCode[error.code]} ${error.rawMessage.slice(0, 300)}` };
  }
}

const S2020 = "https://json-schema.org/draft/2020-12/schema";
const REDOS_PATTERNS = ["^(a+)+$", "^(a|aa)+$", "^(a|a?)+$", "^(\\w+\\s?)*$", "(x+x+)+y", "^(.*a){12}$", "^([a-z]+)*[0-9]$"];

function nest(depth: number): unknown {
  let schema: unknown = { type: "string" };
  for (let i = 0; i < depth; i++) schema = { type: "array", items: schema };
  return schema;
}

function diamond(levels: number): unknown {
  const $defs: Record<string, unknown> = { d0: { type: "string" } };
  for (let i = 1; i <= levels; i++) $defs[`d${i}`] = { allOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };
  return { $schema: S2020, $defs, $ref: `#/$defs/d${levels}` };
}

/** Every class of pathological schema the issue names, plus ones that compile (and reach validation). */
const pathological: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant({ $ref: "#" }),
  fc.constant({ definitions: { a: { $ref: "#/definitions/b" }, b: { $ref: "#/definitions/a" } }, $ref: "#/definitions/a" }),
  fc.constant({ $schema: S2020, $defs: { node: { type: "object", properties: { next: { $ref: "#/$defs/node" } } } }, $ref: "#/$defs/node" }),
  fc.constant({ type: "object", properties: { self: { $ref: "#/properties/self" } } }),
  fc.integer({ min: 1, max: 3_000 }).map(nest),
  fc.integer({ min: 10, max: 20 }).map(diamond),
  fc.integer({ min: 100, max: 40_000 }).map((n) => ({ enum: Array.from({ length: n }, (_, i) => i) })),
  fc.constantFrom(...REDOS_PATTERNS).map((pattern) => ({ type: "string", pattern })),
  fc.constantFrom(...REDOS_PATTERNS).map((pattern) => ({ type: "object", patternProperties: { [pattern]: { type: "string", pattern } } })),
  fc.constantFrom(...REDOS_PATTERNS).map((pattern) => ({ type: "object", propertyNames: { pattern } })),
  fc.constant({ type: "object", description: "x".repeat(1024 * 1024) }),
  fc.constantFrom("http://169.254.169.254/latest/meta-data/", "https://example.com/schema.json", "file:///etc/passwd", "//evil.test/x", "other.json#/a").map(($ref) => ({ $ref })),
  fc.constant({ $id: "http://a.test/", definitions: { x: { $id: "http://b.test/", type: "string" } }, $ref: "http://b.test/" }),
  fc.constant({ properties: { a: { $id: "#foo", type: "string" } }, $ref: "#foo" }),
  fc.constant({ definitions: { a: { $id: "same" }, b: { $id: "same" } } }),
  fc.constant({ $id: "https://llm-pool.test/shared", type: "object", required: ["x"] }),
  fc.constant({ $schema: S2020, $dynamicAnchor: "meta", type: "object", properties: { child: { $dynamicRef: "#meta" } } }),
  fc.constant({ $schema: "http://evil.test/meta", type: "string" }),
  fc.constant({ items: { $recursiveRef: "#" } }),
  fc.constant({ type: "array", uniqueItems: true, items: { type: "object" } }),
  // Ones that compile: answers are checked, valid or not.
  fc.constant({ type: "object", required: ["answer"], properties: { answer: { type: "string" } } }),
  fc.constant({ type: "string", pattern: "^[a-z !]+$" }),
  fc.constant({ $schema: S2020, type: "object", $defs: { s: { type: "string" } }, properties: { answer: { $ref: "#/$defs/s" } } }),
  fc.constant({ not: {} }),
  // Anything else shaped like a schema.
  fc.letrec((tie) => ({
    schema: fc.dictionary(
      fc.constantFrom("type", "items", "properties", "$ref", "enum", "pattern", "allOf", "anyOf", "oneOf", "not", "$defs", "definitions", "required", "additionalProperties", "$id", "const", "uniqueItems"),
      tie("value"),
      { maxKeys: 4 },
    ),
    value: fc.oneof(
      { depthSize: "small", maxDepth: 4 },
      fc.constantFrom("#", "#/definitions/a", "#/$defs/a", "#/properties", "string", "object", "array", "^(a+)+$"),
      fc.jsonValue({ maxDepth: 2 }),
      tie("schema"),
      fc.array(tie("schema"), { maxLength: 3 }),
    ),
  })).schema,
);

describe("R-API-4: no output schema can end the process", () => {
  it.each(TRANSPORTS)("the request that ended the pool is refused over %s: INVALID_ARGUMENT naming output.json_schema, before any engine call", async (transport) => {
    const calls = generations();
    const outcome = await send(transport, '{"$ref":"#"}', "x");
    expect(outcome).toMatchObject({ kind: "refused", field: "output.json_schema" });
    expect(outcome.kind === "refused" && outcome.message).toMatch(/^output\.json_schema: at \/\$ref "#" leads back to a schema that contains it; recursive \$ref is not supported/);
    expect(generations()).toBe(calls);
  });

  it("InferStream, which serves through the same admission, refuses it too", async () => {
    const client = createClient(LlmPoolService, rpcTransport("gRPC", pool.url));
    const query = fromJson(QuerySchema, { task: "TASK_EXPAND_QUERIES", prompt: "x", output: { kind: "OUTPUT_KIND_JSON_SCHEMA", jsonSchema: '{"$ref":"#"}' } });
    const error = await (async () => {
      for await (const _ of client.inferStream({ query })) return undefined;
      return undefined;
    })().catch((e: unknown) => ConnectError.from(e));
    expect(error?.code).toBe(RpcCode.InvalidArgument);
    expect(error?.findDetails(ErrorDetailSchema)[0]?.field).toBe("output.json_schema");
  });

  it("a schema whose patterns backtrack catastrophically is checked in linear time: the answer is just invalid", async () => {
    const outcome = await send("REST /v1/infer", JSON.stringify({ type: "string", pattern: "^(a+)+$" }), "EVIL");
    expect(outcome).toEqual({ kind: "listed-5xx", code: "unavailable" });
    const valid = await send("gRPC", JSON.stringify({ type: "string", pattern: "^a+!$" }), "EVIL");
    expect(valid).toEqual({ kind: "answer" });
  });

  it("fuzz: every pathological schema on every transport gets an answer, a refusal naming the field, or a listed 5xx", async () => {
    const seen: Record<Outcome["kind"], number> = { answer: 0, refused: 0, "listed-5xx": 0, other: 0 };
    await fc.assert(
      fc.asyncProperty(pathological, fc.constantFrom(...TRANSPORTS), fc.constantFrom("EVIL", "OBJECTS", "plain prompt"), async (schema, transport, prompt) => {
        const outcome = await send(transport, JSON.stringify(schema), prompt);
        seen[outcome.kind] += 1;
        if (outcome.kind === "other") throw new Error(outcome.detail);
        if (outcome.kind === "refused") expect(outcome.field).toBe("output.json_schema");
      }),
      { numRuns: 160, seed: 10_01 },
    );
    // Both paths were reached: schemas refused at admission, and schemas that compiled and checked answers.
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.answer).toBeGreaterThan(0);
    expect(seen.other).toBe(0);

    // Still serving, on every transport.
    expect((await fetch(`${pool.url}/healthz`)).status).toBe(200);
    for (const transport of TRANSPORTS) {
      const schema = { type: "object", required: ["answer"], properties: { answer: { type: "string" } } };
      expect(await send(transport, JSON.stringify(schema), "after the fuzz"), transport).toEqual({ kind: "answer" });
    }
  });
});
