import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  providerError,
  specHttp,
} from "@llm-pool/providers/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { requestJson, type EngineCaller } from "./engine-request.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A bare HTTP server counting the TCP connections it accepts. */
async function serve(respond: (body: string) => { status: number; body: string }): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const answer = respond(body);
      res.writeHead(answer.status, { "content-type": "application/json", "content-length": Buffer.byteLength(answer.body) });
      res.end(answer.body);
    });
  });
  server.on("connection", () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

const caller: EngineCaller = { provider: "p", http: specHttp, now: () => Date.now() };
const open = () => new AbortController().signal;

describe("R-PRV-1 pooled keep-alive HTTP to engines", () => {
  it("sequential calls to one engine reuse pooled keep-alive connections instead of opening one each", async () => {
    const engine = await serve((body) => ({ status: 200, body: JSON.stringify({ echo: JSON.parse(body) as unknown }) }));
    for (let i = 0; i < 20; i++) {
      expect(await requestJson(caller, { method: "POST", url: `${engine.url}/api/chat`, body: { i }, signal: open() })).toEqual({ echo: { i } });
    }
    // undici hands a socket back to its pool a tick after the body is read, so a call made at once
    // after the previous one may open a second connection; after that the two are reused.
    expect(engine.connections()).toBeLessThanOrEqual(2);
  });

  it("an engine answer larger than the body limit is malformed, not buffered", async () => {
    const engine = await serve(() => ({ status: 200, body: JSON.stringify({ text: "x".repeat(9 * 1024 * 1024) }) }));
    await providerError(requestJson(caller, { method: "GET", url: engine.url, signal: open() }), "malformed");
  });

  it("a 400 with code model_not_found is model_missing; other 4xx are http_status and not breaker failures", async () => {
    const engine = await serve((body) =>
      body.includes("missing")
        ? { status: 400, body: JSON.stringify({ error: { message: "no such model", code: "model_not_found" } }) }
        : { status: 422, body: JSON.stringify({ error: "prompt too long" }) },
    );
    await providerError(requestJson(caller, { method: "POST", url: engine.url, body: { model: "missing" }, signal: open() }), "model_missing");
    const error = await providerError(requestJson(caller, { method: "POST", url: engine.url, body: {}, signal: open() }), "http_status");
    expect([error.status, error.countsAsFailure]).toEqual([422, false]);
  });
});
