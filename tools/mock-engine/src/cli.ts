// node --conditions=@llm-pool/source --import tsx tools/mock-engine/src/cli.ts --scenario scenarios/mac-mini.json [--port 11435] [--host 127.0.0.1]
// Prints the engine's URL on the first line of stdout, then serves until SIGINT or SIGTERM.

import { parseArgs } from "node:util";
import { ScenarioError } from "./scenario-validate.js";
import { startMockEngine } from "./server.js";

const USAGE = "usage: cli.ts --scenario <file.json|file.toml> [--port 11435] [--host 127.0.0.1]";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scenario: { type: "string", short: "s" },
      port: { type: "string", short: "p", default: "11435" },
      host: { type: "string", default: "127.0.0.1" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!values.scenario || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(USAGE);
    return 2;
  }
  const engine = await startMockEngine({ scenario: values.scenario, port, host: values.host });
  console.log(engine.url);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await engine.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ScenarioError ? err.message : `mock-engine: ${(err as Error).message}`);
    process.exit(1);
  },
);
