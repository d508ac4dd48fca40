import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const buf = `${repoRoot}node_modules/.bin/buf`;

export interface CurlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Calls an RPC with `buf curl`, an independent Go client, using the proto
 * tree as its schema (or `schema`, a directory of .proto files).
 */
export function bufCurl(
  url: string,
  options: { protocol: "grpc" | "grpcweb" | "connect"; data: string; schema?: string; headers?: string[] },
): Promise<CurlResult> {
  const args = [
    "curl",
    "--protocol",
    options.protocol,
    "--schema",
    options.schema ?? `${repoRoot}proto`,
    "--data",
    options.data,
    ...(options.protocol === "grpc" ? ["--http2-prior-knowledge"] : []),
    ...(options.headers ?? []).flatMap((h) => ["--header", h]),
    url,
  ];
  return new Promise((resolve) => {
    execFile(buf, args, { cwd: repoRoot, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
