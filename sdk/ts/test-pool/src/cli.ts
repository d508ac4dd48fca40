// Starts the SDK test pool and prints one JSON line (TestPoolInfo) on stdout; stops when stdin
// closes (the parent test process ended) or on SIGINT/SIGTERM. Used by the Python and Rust suites:
//   node --conditions=@llm-pool/source --import tsx sdk/ts/test-pool/src/cli.ts
import { startTestPool } from "./test-pool.js";

const pool = await startTestPool();
const { stop, ...info } = pool;
process.stdout.write(`${JSON.stringify(info)}\n`);
await new Promise<void>((resolve) => {
  process.stdin.on("end", resolve).on("close", resolve).resume();
  process.once("SIGINT", resolve);
  process.once("SIGTERM", resolve);
});
await stop();
process.exit(0);
