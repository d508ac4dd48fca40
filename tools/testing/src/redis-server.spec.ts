import { createConnection } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type RedisProcess } from "./redis-server.js";

/** One raw RESP round trip, so this test needs no Redis client library. */
function ping(port: number, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("timeout"));
    }, timeoutMs);
    socket.once("data", (data) => {
      clearTimeout(timer);
      socket.end();
      resolve(data.toString().trim());
    });
    socket.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe("startRedis", () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it("runs a real redis-server that answers PING", async () => {
    expect(await ping(redis.port)).toBe("+PONG");
  });

  it("freezes and thaws it (SIGSTOP/SIGCONT)", async () => {
    redis.freeze();
    await expect(ping(redis.port, 300)).rejects.toThrow("timeout");
    redis.thaw();
    expect(await ping(redis.port)).toBe("+PONG");
  });

  it("crashes it (SIGKILL) and restarts it on the same port", async () => {
    await redis.crash();
    await expect(ping(redis.port)).rejects.toThrow(/ECONNREFUSED/);
    await redis.restart();
    expect(await ping(redis.port)).toBe("+PONG");
  });
});
