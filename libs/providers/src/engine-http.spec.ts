import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as realTimeout } from "node:timers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createEngineHttp, type EngineHttpClient, type EngineResponse } from "./engine-http.js";

let server: Server;
let url: string;
let connections: number;
let client: EngineHttpClient;

beforeEach(async () => {
  connections = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
  client = createEngineHttp();
});

afterEach(async () => {
  vi.useRealTimers();
  await client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = () => client.send(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", signal: new AbortController().signal });

async function text(response: EngineResponse): Promise<string> {
  let body = "";
  for await (const chunk of response.body) body += Buffer.from(chunk).toString("utf8");
  return body;
}

describe("createEngineHttp", () => {
  // undici 7.28.0-7.29.0 checked an idle kept-alive socket behind a setTimeout(0) before writing the next request
  // on it (GHSA-35p6-xmwp-9g52): Node's timer floor made that at least 1 ms per sequential request, most of the
  // pool's latency in front of an instant engine. 7.29.1 checks it on a setImmediate (the loop's next check
  // phase): with timers frozen, the request still goes out and is answered.
  it("writes a request on an idle kept-alive connection without waiting for a timer", async () => {
    expect(await text(await post())).toBe('{"ok":true}');
    // undici hands the connection back to its pool on the loop's next check phase; until then a request opens
    // another connection. The engine's connections sit idle between the pool's calls the same way.
    await new Promise((resolve) => setImmediate(resolve));
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const frozen = new Promise<never>((_, reject) =>
      realTimeout(() => reject(new Error("the request on the idle connection waited for a timer")), 2_000).unref(),
    );
    const answer = await Promise.race([post().then(text), frozen]);
    expect(answer).toBe('{"ok":true}');
    expect(connections).toBe(1);
  });
});
