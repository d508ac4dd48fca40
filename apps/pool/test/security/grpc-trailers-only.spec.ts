import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import http2 from "node:http2";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPool, type RunningPool } from "../pool-fixture.js";
import { envelope, INFER_PATH, startSecuredPool, type SecuredPool } from "./security-fixture.js";

const python = fileURLToPath(new URL("../../../../.venv/bin/python", import.meta.url));

interface FrameShape {
  /** Flags of the first HEADERS frame: 0x1 is END_STREAM, 0x4 END_HEADERS. */
  readonly headerFlags: number;
  readonly headers: http2.IncomingHttpHeaders;
  readonly dataFrames: number;
  readonly trailers: boolean;
}

/** What the server sends back for one gRPC request, frame by frame as Node's client reports it. */
function grpcFrames(baseUrl: string, path: string): Promise<FrameShape> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
    let shape: FrameShape = { headerFlags: -1, headers: {}, dataFrames: 0, trailers: false };
    stream.on("response", (headers, flags) => (shape = { ...shape, headers, headerFlags: flags }));
    stream.on("data", () => (shape = { ...shape, dataFrames: shape.dataFrames + 1 }));
    stream.on("trailers", () => (shape = { ...shape, trailers: true }));
    stream.on("end", () => {
      session.close();
      resolve(shape);
    });
    stream.on("error", reject);
    stream.end(envelope(new Uint8Array()));
  });
}

/** Calls `path` with grpcio (the reference C-core client) and prints "CODE details". */
function grpcio(port: number, path: string): Promise<string> {
  const script = [
    "import sys, grpc",
    "channel = grpc.insecure_channel(sys.argv[1])",
    "call = channel.unary_unary(sys.argv[2], request_serializer=lambda b: b, response_deserializer=lambda b: b)",
    "try:",
    "    call(b'', timeout=10)",
    "    print('OK')",
    "except grpc.RpcError as error:",
    "    print(error.code().name, error.details())",
  ].join("\n");
  return new Promise((resolve, reject) => {
    execFile(python, ["-c", script, `127.0.0.1:${port}`, path], { timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

const END_STREAM = 0x1;
const UNKNOWN_METHOD = "/vvtv.llmpool.v1.LlmPoolService/Nope";

describe("gRPC refusals before any handler are trailers-only", () => {
  let open: RunningPool;
  let secured: SecuredPool;
  beforeAll(async () => {
    open = await startPool();
    secured = await startSecuredPool();
  });
  afterAll(async () => {
    await open.server.close(500);
    await secured.close();
  });

  it("R-API-2: an unknown method is one HEADERS frame with grpc-status 12 and END_STREAM, no DATA frame", async () => {
    const shape = await grpcFrames(open.baseUrl, UNKNOWN_METHOD);
    expect(shape.headers["grpc-status"]).toBe("12");
    expect(shape.headers[":status"]).toBe(200);
    expect(shape.headers["content-type"]).toBe("application/grpc");
    expect(shape.headerFlags & END_STREAM).toBe(END_STREAM);
    expect(shape.dataFrames).toBe(0);
    expect(shape.trailers).toBe(false);
  });

  it("R-SEC-1: an unauthenticated call is trailers-only too (grpc-status 16)", async () => {
    for (const path of [INFER_PATH, UNKNOWN_METHOD]) {
      const shape = await grpcFrames(secured.baseUrl, path);
      expect(shape.headers["grpc-status"], path).toBe("16");
      expect(shape.headerFlags & END_STREAM, path).toBe(END_STREAM);
      expect(shape.dataFrames, path).toBe(0);
    }
  });

  it("grpcio reads them as UNIMPLEMENTED and UNAUTHENTICATED, not UNKNOWN 'Stream removed'", async () => {
    expect(existsSync(python), `${python} is missing: run 'npm run setup' (it installs grpcio from sdk/python/requirements-dev.txt)`).toBe(true);
    expect(await grpcio(open.port, UNKNOWN_METHOD)).toBe(`UNIMPLEMENTED no RPC method ${UNKNOWN_METHOD}`);
    expect(await grpcio(secured.port, INFER_PATH)).toBe("UNAUTHENTICATED the request is not authenticated");
  });
});
