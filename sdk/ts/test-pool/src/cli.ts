// Starts the SDK test pool and prints one JSON line (TestPoolInfo) on stdout; stops when stdin
// closes (the parent test process ended) or on SIGINT/SIGTERM. Used by the Python and Rust suites:
//   node --conditions=@llm-pool/source --import tsx sdk/ts/test-pool/src/cli.ts
// Options (all PEM files): --tls-cert F --tls-key F --tls-ca F serve TLS with the certificate the
// CA F signed; add --client-ca F --client-cert F --client-key F to require client certificates
// (the readiness probe presents the given one). --cors-origin O (repeatable) allows a browser origin.
import { parseArgs } from "node:util";
import type { TestPoolOptions } from "./index.js";
import { startTestPool } from "./test-pool.js";

const { values } = parseArgs({
  options: {
    "tls-cert": { type: "string" },
    "tls-key": { type: "string" },
    "tls-ca": { type: "string" },
    "client-ca": { type: "string" },
    "client-cert": { type: "string" },
    "client-key": { type: "string" },
    "cors-origin": { type: "string", multiple: true },
  },
});

function optionsFrom(args: typeof values): TestPoolOptions {
  const cert = args["tls-cert"];
  const key = args["tls-key"];
  const ca = args["tls-ca"];
  const tls = cert && key && ca;
  if (!tls && (cert || key || ca || args["client-ca"])) throw new TypeError("--tls-cert, --tls-key and --tls-ca go together");
  return {
    ...(tls
      ? {
          tls: {
            certFile: cert,
            keyFile: key,
            caFile: ca,
            ...(args["client-ca"] ? { clientCaFile: args["client-ca"] } : {}),
            ...(args["client-cert"] ? { clientCertFile: args["client-cert"] } : {}),
            ...(args["client-key"] ? { clientKeyFile: args["client-key"] } : {}),
          },
        }
      : {}),
    ...(args["cors-origin"] ? { corsAllowedOrigins: args["cors-origin"] } : {}),
  };
}

const pool = await startTestPool(optionsFrom(values));
const { stop, ...info } = pool;
process.stdout.write(`${JSON.stringify(info)}\n`);
await new Promise<void>((resolve) => {
  process.stdin.on("end", resolve).on("close", resolve).resume();
  process.once("SIGINT", resolve);
  process.once("SIGTERM", resolve);
});
await stop();
process.exit(0);
