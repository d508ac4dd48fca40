import { Ollama } from "ollama";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generations, KEYS, startDoorsPool, type DoorsPool } from "./doors-fixture.js";

// R-API-7, R-SEC-4, R-SEC-6: a bearer key on the OpenAI and Ollama doors is the tenant's credential
// exactly as on the signed API: its tenant's projects, limits, daily tokens, kill switch, cache and
// idempotency keys, and nothing of another tenant's. Attacks through the official clients.
let doors: DoorsPool;
beforeAll(async () => {
  doors = await startDoorsPool();
}, 60_000);
afterAll(() => doors.stop());

const openai = (apiKey: string) => new OpenAI({ baseURL: `${doors.url}/v1`, apiKey, maxRetries: 0 });
const ollama = (key: string) => new Ollama({ host: doors.ollamaUrl, headers: { Authorization: `Bearer ${key}` } });
const pool = (value: object) => (value as { pool?: Record<string, unknown> }).pool ?? {};

/** A chat completion through the official client, with the pool extension (which the client passes through). */
function chat(key: string, content: string, extension: Record<string, unknown> = {}) {
  return openai(key).chat.completions.create({
    model: "pool/expand_queries",
    messages: [{ role: "user", content }],
    ...({ pool: extension } as object),
  });
}

/** The same query on the native REST API with the same bearer key. */
async function native(key: string, prompt: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${doors.url}/v1/infer`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ task: "TASK_EXPAND_QUERIES", prompt, ...extra }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("resolved"), (e: unknown) => e);

describe("R-API-7 bearer keys on the doors carry their tenant, and only theirs", () => {
  it("the answer is the key's tenant's; a project of another tenant is PERMISSION_DENIED (PermissionDeniedError, 403 on Ollama)", async () => {
    expect(pool(await chat(KEYS.lab, "whose answer"))).toMatchObject({ tenantId: "lab", projectId: "bench" });
    const claimed = await failure(chat(KEYS.lab, "x", { project_id: "planner" }));
    expect(claimed).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((claimed as InstanceType<typeof OpenAI.PermissionDeniedError>).error).toMatchObject({ code: "permission_denied" });
    expect((await native(KEYS.lab, "x", { projectId: "planner" })).status).toBe(403);
    const viaOllama = await failure(ollama(KEYS.lab).chat({ model: "pool/expand_queries", messages: [{ role: "user", content: "x" }], pool: { project_id: "planner" } } as never));
    expect(viaOllama).toMatchObject({ status_code: 403 });
  });

  it("one tenant's cached answer is never another's: the second tenant's same question reaches the engine", async () => {
    const question = "cache across tenants";
    const first = await chat(KEYS.vvtv, question);
    const before = generations(doors.engine);
    const other = await chat(KEYS.lab, question);
    expect(pool(other)).toMatchObject({ tenantId: "lab" });
    expect(pool(other)["fromCache"]).toBeFalsy();
    expect(generations(doors.engine)).toBe(before + 1);
    const again = await chat(KEYS.vvtv, question);
    expect(pool(again)).toMatchObject({ tenantId: "vvtv", fromCache: true });
    expect(again.choices[0]!.message.content).toBe(first.choices[0]!.message.content);
    expect(generations(doors.engine)).toBe(before + 1);
  });

  it("one tenant's request_id is not another's: the same idempotency key replays only for its own tenant", async () => {
    const mine = await chat(KEYS.vvtv, "idempotent question", { request_id: "door-idem-1" });
    const theirs = await chat(KEYS.lab, "a different question", { request_id: "door-idem-1" });
    expect(pool(theirs)).toMatchObject({ tenantId: "lab" });
    expect(theirs.choices[0]!.message.content).not.toBe(mine.choices[0]!.message.content);
    const replay = await chat(KEYS.vvtv, "idempotent question", { request_id: "door-idem-1" });
    expect(replay.choices[0]!.message.content).toBe(mine.choices[0]!.message.content);
  });

  it("daily tokens: spent through the OpenAI door, the tenant is refused on every door and on the native API; another tenant is not", async () => {
    let refusal: unknown;
    for (let i = 0; i < 20 && refusal === undefined; i++) {
      refusal = await chat(KEYS.budget, `spend ${i}`).then(() => undefined, (e: unknown) => e);
    }
    expect(refusal).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refusal as InstanceType<typeof OpenAI.RateLimitError>).error).toMatchObject({ type: "rate_limit_error", code: "resource_exhausted" });
    expect((refusal as Error).message).toMatch(/daily token/i);
    expect((await native(KEYS.budget, "one more")).status).toBe(429);
    expect(await failure(ollama(KEYS.budget).chat({ model: "pool/expand_queries", messages: [{ role: "user", content: "one more" }] }))).toMatchObject({ status_code: 429 });
    expect(pool(await chat(KEYS.lab, "still mine to spend"))).toMatchObject({ tenantId: "lab" });
  });

  it("a tenant switched off is UNAUTHENTICATED on the doors as on the native API", async () => {
    expect(await failure(chat(KEYS.off, "x"))).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await failure(openai(KEYS.off).models.list())).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await failure(ollama(KEYS.off).list())).toMatchObject({ status_code: 401 });
    expect((await native(KEYS.off, "x")).status).toBe(401);
  });
});
