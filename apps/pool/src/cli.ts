#!/usr/bin/env node
// llm-pool command line: `serve` runs the pool, `check-config` validates a file.
import { parseArgs } from "node:util";
import { checkConfig } from "@llm-pool/config";
import { createProviderPool } from "@llm-pool/providers";
import { createLogger } from "@llm-pool/telemetry";
import { keepServingOnStrayErrors } from "./last-resort.js";
import { startPool } from "./main.js";

const USAGE = `usage:
  llm-pool serve [--config FILE]     run the pool (default FILE: $LLMPOOL_CONFIG or llm-pool.toml)
  llm-pool check-config FILE         validate FILE; problems on stdout, exit 1 if any`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve":
      return serve(rest);
    case "check-config":
      return check(rest);
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      console.error(command ? `unknown command: ${command}\n${USAGE}` : USAGE);
      return 2;
  }
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: "string", short: "c" } } });
  const configPath = values.config ?? process.env.LLMPOOL_CONFIG ?? "llm-pool.toml";
  const logger = createLogger();
  keepServingOnStrayErrors(logger);
  const pool = await startPool({ configPath, logger, providers: createProviderPool }).catch((error: unknown) => {
    console.error(describe(error));
    return undefined;
  });
  if (!pool) return 1;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        console.error(`${signal} again: exiting without draining`);
        resolve(1);
        return;
      }
      stopping = true;
      pool.close().then(
        () => resolve(0),
        (error: unknown) => {
          console.error(describe(error));
          resolve(1);
        },
      );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}

async function check(args: string[]): Promise<number> {
  const [file] = args;
  if (!file || args.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const result = await checkConfig(file);
  console.log(result.output);
  return result.ok ? 0 : 1;
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "format" in error && typeof error.format === "function") {
    return String(error.format());
  }
  return error instanceof Error ? error.message : String(error);
}

main(process.argv.slice(2)).then((code) => process.exit(code));
