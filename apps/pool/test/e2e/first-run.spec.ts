// The first run (R-API-2, R-ENS-6): the pool started exactly as `npm start` starts it (the same command line,
// from package.json), on configs/local.toml with the embedded model that `npm run setup` fetched.
// Every example the README and docs/QUICKSTART.md show is sent over REST and over gRPC, and each
// must answer 200 with output that validates against its task's schema. Then the pool is stopped
// by its PID and must exit 0.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fromJson, type JsonObject } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { loadConfig, type ConfigSnapshot, type TaskName } from "@llm-pool/config";
import { AnswerSchema, CandidateStatus, FallbackReason, LlmPoolService, OutputKind, QuerySchema, Strategy, Task, type Answer } from "@llm-pool/contract";
import { createOutputValidator } from "@llm-pool/ensemble";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const START = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start!;
const DOCS = ["README.md", "docs/QUICKSTART.md"];
/** Loading the model and warming both providers; generous for a busy 2-core CI machine. */
const READY_TIMEOUT_MS = 240_000;
/** One example over both transports: a few seconds idle; the task's deadline (100 s) bounds each call. */
const CALL_TIMEOUT_MS = 240_000;

interface Example {
  readonly doc: string;
  readonly body: JsonObject;
}

/** The JSON bodies of every `curl … /v1/infer … -d '{…}'` in the docs a newcomer reads. */
function documentedExamples(): Example[] {
  return DOCS.flatMap((doc) => {
    const text = readFileSync(join(repoRoot, doc), "utf8");
    return [...text.matchAll(/curl -s localhost:7070\/v1\/infer[^\n]*(?:\\\n[^\n]*)*?-d '(\{[^']*\})'/g)].map((m) => ({ doc, body: JSON.parse(m[1]!) as JsonObject }));
  });
}

function taskName(task: Task): TaskName {
  return Task[task].replace(/^TASK_/, "").toLowerCase() as TaskName;
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

describe("R-ENS-6: the first run answers every documented example with schema-valid output", () => {
  const examples = documentedExamples();
  const validator = createOutputValidator();
  let config: ConfigSnapshot;
  let pool: ChildProcess | undefined;
  let baseUrl = "";
  let exited: Promise<number | null>;
  const logs: string[] = [];

  beforeAll(async () => {
    config = await loadConfig(join(repoRoot, "configs/local.toml"));
    const [host, port] = config.server.listen.split(":");
    baseUrl = `http://${host}:${port}`;
    if (await portAnswers(host!, Number(port))) throw new Error(`${config.server.listen} is already in use: stop whatever listens there (another \`npm start\`?) and run again`);

    const [command, ...args] = START.split(/\s+/);
    pool = spawn(command!, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    pool.stdout!.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    pool.stderr!.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    exited = new Promise((resolve) => pool!.once("exit", (code) => resolve(code)));

    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (pool.exitCode !== null) throw new Error(`\`npm start\` exited with ${pool.exitCode} before it was ready:\n${logs.join("").slice(-3000)}`);
      const ready = await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`the pool was not ready within ${READY_TIMEOUT_MS} ms:\n${logs.join("").slice(-3000)}`);
      await new Promise((wake) => setTimeout(wake, 500));
    }
  }, READY_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    if (pool?.pid !== undefined && pool.exitCode === null) process.kill(pool.pid, "SIGTERM");
    await exited;
  }, 60_000);

  function expectValid(answer: Answer, where: string): void {
    const task = config.tasks[taskName(answer.task)];
    expect(task.output, `${where}: task ${task.name} must ask for its schema`).toBe("json_schema");
    expect(answer.outputKind, where).toBe(OutputKind.JSON_SCHEMA);
    const verdict = validator.check(answer.output, { kind: "json_schema", schema: task.schema as Record<string, unknown> });
    expect(verdict, `${where}: ${answer.output}`).toEqual({ ok: true });
  }

  it("the docs show the README's example and one example for every task", () => {
    expect(examples[0]?.doc).toBe("README.md");
    const tasks = new Set(examples.map((e) => String(e.body.task)));
    expect([...tasks].sort()).toEqual(Object.keys(config.tasks).map((t) => `TASK_${t.toUpperCase()}`).sort());
  });

  it.each(documentedExamples().map((e, i) => [`${e.doc} #${i + 1} (${String(e.body.task)})`, e] as const))(
    "%s: 200 over REST and over gRPC, output valid against the task's schema",
    async (label, example) => {
      const rest = await fetch(`${baseUrl}/v1/infer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(example.body) });
      const text = await rest.text();
      expect(rest.status, `${label} over REST: ${text}`).toBe(200);
      const viaRest = fromJson(AnswerSchema, JSON.parse(text) as JsonObject, { ignoreUnknownFields: true });
      expectValid(viaRest, `${label} over REST`);
      console.info(`${label}: ${viaRest.durationMs} ms, ${Strategy[viaRest.strategyApplied]} won by ${viaRest.winnerProvider}: ${viaRest.output}`);

      const client = createClient(LlmPoolService, createGrpcTransport({ baseUrl }));
      const { answer } = await client.infer({ query: fromJson(QuerySchema, example.body) });
      expect(answer, `${label} over gRPC`).toBeDefined();
      expectValid(answer!, `${label} over gRPC`);
    },
    CALL_TIMEOUT_MS,
  );

  it("the README's example is a real ensemble: both providers answer, and VOTING decides or says why it could not", async () => {
    const readme = examples[0]!;
    // A fresh prompt, so the answer is decided now rather than read from the cache.
    const body = { ...readme.body, prompt: `${String(readme.body.prompt)}, late night` };
    const response = await fetch(`${baseUrl}/v1/infer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answer = fromJson(AnswerSchema, (await response.json()) as JsonObject, { ignoreUnknownFields: true });
    expect(answer.strategyRequested).toBe(Strategy.VOTING);
    expect(answer.fromCache).toBe(false);
    const candidates = answer.decision?.candidates ?? [];
    expect(candidates.map((c) => [c.provider, CandidateStatus[c.status]]).sort()).toEqual([
      ["smollm2-a", "OK"],
      ["smollm2-b", "OK"],
    ]);
    // Two answers that agree make a cluster and VOTING decides; two that differ have no quorum,
    // and the chain (VOTING -> WEIGHTED) says so: either way the client sees both opinions.
    if (answer.strategyApplied !== Strategy.VOTING) {
      expect(answer.strategyApplied).toBe(Strategy.WEIGHTED);
      expect(answer.decision?.fallbacks.map((f) => [Strategy[f.from], Strategy[f.to], FallbackReason[f.reason]])).toEqual([["VOTING", "WEIGHTED", "NO_QUORUM"]]);
    }
    console.info(`VOTING between two providers: applied ${Strategy[answer.strategyApplied]}, agreement ${answer.decision?.agreement}, winner ${answer.winnerProvider}`);
    const [a, b] = config.providers;
    expect(a?.driver === "embedded" && b?.driver === "embedded" && a.repeat_penalty !== b.repeat_penalty).toBe(true);
  }, CALL_TIMEOUT_MS);

  it("`npx llm-pool check-config configs/local.toml`, as the README says, accepts the default config", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    expect(readme).toContain("npx llm-pool check-config configs/local.toml");
    expect(existsSync(join(repoRoot, "node_modules/.bin/llm-pool")), "npm ci links the llm-pool command").toBe(true);
    const run = spawnSync("npx", ["--no-install", "llm-pool", "check-config", "configs/local.toml"], { cwd: repoRoot, encoding: "utf8" });
    expect(run.stdout, run.stderr).toMatch(/^configs\/local\.toml: OK, version [0-9a-f]{16} \(2 providers, 2 engines, 6 of 6 tasks enabled/);
    expect(run.status).toBe(0);
  });

  it("stops on SIGTERM to its PID and exits 0", async () => {
    expect(pool?.pid).toBeDefined();
    process.kill(pool!.pid!, "SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
