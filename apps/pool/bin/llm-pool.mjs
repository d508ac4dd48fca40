#!/usr/bin/env node
// The `llm-pool` command of a clone: npm links it into node_modules/.bin, so after `npm run setup`
// it runs as `npx llm-pool …` from anywhere in the clone. It runs the TypeScript sources through
// tsx with the workspace's source condition, exactly as `npm start` and `npm run llm-pool` do.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");
const child = spawn(process.execPath, ["--conditions=@llm-pool/source", "--import", tsx, cli, ...process.argv.slice(2)], { stdio: "inherit" });

// The pool drains on SIGTERM/SIGINT (R-API-5): pass them on and exit as the pool does.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
