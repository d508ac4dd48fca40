import { describe, expect, it } from "vitest";
import type { EngineResponse } from "./engine-http.js";
import { MAX_BODY_BYTES } from "./engine-request.js";
import { providerError } from "@llm-pool/providers/test-support";
import { readFrames, type Framing } from "./stream-frames.js";

/** A response whose body arrives in exactly these chunks, as an engine's socket might cut it. */
function chunked(chunks: readonly (string | Uint8Array)[], options: { breakOff?: boolean } = {}): EngineResponse {
  const encoder = new TextEncoder();
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    if (options.breakOff) throw new TypeError("terminated");
  }
  return { status: 200, header: () => undefined, body: body(), cancel() {} };
}

async function frames(response: EngineResponse, framing: Framing): Promise<string[]> {
  const out: string[] = [];
  for await (const frame of readFrames(response, framing, "p", new AbortController().signal)) out.push(frame);
  return out;
}

describe("R-API-6 reading an engine's stream frame by frame", () => {
  it("NDJSON: lines split anywhere across chunks, blank lines skipped, an unterminated last line dropped", async () => {
    const body = chunked(['{"a":', '1}\n\n{"b"', ':2}\n{"c":3}\r\n', '{"cut":']);
    expect(await frames(body, "ndjson")).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it("a multi-byte character cut between two chunks decodes whole", async () => {
    const bytes = new TextEncoder().encode('{"t":"café ☕"}\n');
    const cut = bytes.indexOf(0xe2) + 1;
    expect(await frames(chunked([bytes.slice(0, cut), bytes.slice(cut)]), "ndjson")).toEqual(['{"t":"café ☕"}']);
  });

  it("SSE: data of each event, whatever the line endings; comments and event names ignored; an unfinished event dropped", async () => {
    const body = chunked([": keep-alive\r\n\r\n", "event: chunk\r\ndata: {\"a\"", ":1}\r\n\r\n", "data: {\"b\":2}\n\n", "data: [DONE]\n\n", "data: {\"cut\""]);
    expect(await frames(body, "sse")).toEqual(['{"a":1}', '{"b":2}', "[DONE]"]);
  });

  it("bytes that are not UTF-8 are malformed, not U+FFFD handed on", async () => {
    await providerError(frames(chunked([new Uint8Array([0x7b, 0xff, 0x7d, 0x0a])]), "ndjson"), "malformed");
  });

  it("a body that breaks off is truncated", async () => {
    await providerError(frames(chunked(['{"a":1}\n'], { breakOff: true }), "ndjson"), "truncated");
  });

  it("a stream larger than the body bound is refused as malformed", async () => {
    const line = `${JSON.stringify({ t: "x".repeat(1024 * 1024) })}\n`;
    const body = chunked(Array.from({ length: Math.ceil(MAX_BODY_BYTES / line.length) + 1 }, () => line));
    await providerError(frames(body, "ndjson"), "malformed");
  });
});
