import { parseConfig } from "@llm-pool/config";
import { describe, expect, it } from "vitest";
import { serverOptionsFrom } from "./server-config.js";
import { resolveServerOptions } from "./server-options.js";

const config = (server: string) =>
  parseConfig(
    `[server]\n${server}\n[[providers]]\nname = "local"\ndriver = "ollama"\nbase_url = "http://127.0.0.1:11434"\nmodel = "m"\n` +
      `[tenancy]\nauth = "none"\nallow_unauthenticated = true\n`,
    { baseDir: ".", env: {} },
  );

describe("serverOptionsFrom", () => {
  it("R-CFG-1: the [server] connection, stream and in-flight limits reach the listener", async () => {
    const { server } = await config("max_connections = 7\nmax_streams_per_connection = 8\nmax_in_flight = 9");
    expect(resolveServerOptions(serverOptionsFrom(server))).toMatchObject({
      maxConnections: 7,
      maxStreamsPerConnection: 8,
      maxInFlight: 9,
    });
  });

  it("R-CFG-1: the config's defaults are the listener's own", async () => {
    const { server } = await config("");
    expect(resolveServerOptions(serverOptionsFrom(server))).toEqual(resolveServerOptions());
  });

  it("R-CFG-1: idle_timeout_ms bounds an idle HTTP/1.1 keep-alive connection as it bounds an HTTP/2 session", async () => {
    const { server } = await config("idle_timeout_ms = 7000");
    expect(resolveServerOptions(serverOptionsFrom(server))).toMatchObject({ keepAliveTimeoutMs: 7_000, sessionIdleTimeoutMs: 7_000 });
  });
});
