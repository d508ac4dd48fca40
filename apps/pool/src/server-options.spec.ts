import { describe, expect, it } from "vitest";
import { defaultServerOptions, resolveServerOptions } from "./server-options.js";

describe("resolveServerOptions", () => {
  it("defaults to 127.0.0.1:7070 with bounded bodies, headers and timeouts", () => {
    expect(resolveServerOptions()).toEqual(defaultServerOptions);
    expect(defaultServerOptions).toMatchObject({ host: "127.0.0.1", port: 7070, maxBodyBytes: 65_536 });
  });

  it("takes overrides and ignores undefined ones", () => {
    expect(resolveServerOptions({ port: 0, maxBodyBytes: 4_096, host: undefined })).toMatchObject({
      host: "127.0.0.1",
      port: 0,
      maxBodyBytes: 4_096,
    });
  });

  it("refuses limits that are not positive integers, and a headers timeout above the request timeout", () => {
    expect(() => resolveServerOptions({ maxBodyBytes: 0 })).toThrow(/maxBodyBytes/);
    expect(() => resolveServerOptions({ maxInFlight: 1.5 })).toThrow(/maxInFlight/);
    expect(() => resolveServerOptions({ port: 70_000 })).toThrow(/port/);
    expect(() => resolveServerOptions({ headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 })).toThrow(/headersTimeoutMs/);
  });
});
