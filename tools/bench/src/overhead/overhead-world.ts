import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SOURCE_NODE_FLAGS, startPinnedProcess, type PinnedProcess } from "./pinned-process.js";
import { BUILT_POOL_ENTRY } from "./pool-build.js";
import type { LoadRequest } from "./raw-http-connection.js";

/** The mock's two models: one that answers at once, one that takes a fixed 50 ms. */
export const INSTANT_MODEL = "bench-instant";
export const SLOW_MODEL = "bench-50ms";
export const SLOW_MODEL_MS = 50;

/** The task routed to each model (the pool's config and the forwarder's routes agree). */
const INSTANT_TASK = "TASK_EXPAND_QUERIES";
const SLOW_TASK = "TASK_SITE_TACTICS";

/** The question every target is asked, and the answer's length (words) the mock gives. */
const PROMPT = "cinematic lounge, ambient slow burn";
const MAX_TOKENS = 32;
const ANSWER_WORDS = 12;

/**
 * The mock engine's scenario: OpenAI-compatible models with enough slots that no request ever queues in the
 * mock (its own queueing would be measured as everyone's latency).
 */
function scenario(): string {
  const model = (ms: number) => ({ family: "bench", latency: { kind: "fixed", ms }, answers: [{ mode: "echo-hash", words: ANSWER_WORDS }] });
  return JSON.stringify({ seed: 1, slots: 10_000, models: { [INSTANT_MODEL]: model(0), [SLOW_MODEL]: model(SLOW_MODEL_MS) } });
}

/**
 * The pool as the overhead bench runs it: one OpenAI-compatible provider per mock model, FASTEST over it, no
 * cache, no authentication, request logs and metrics as they ship; limits high enough that the load is never
 * refused (the bench measures cost, not admission).
 */
function poolToml(engineUrl: string): string {
  const provider = (name: string, model: string) => `
[[providers]]
name = "${name}"
driver = "openai"
base_url = "${engineUrl}"
model = "${model}"
max_concurrency = 1024
`;
  return `[server]
listen = "127.0.0.1:0"
max_connections = 10000
max_in_flight = 100000
shutdown_grace_ms = 1000

[qos]
max_deadline_ms = 30000
default_deadline_ms = 10000
max_tokens_cap = 256
default_max_tokens = ${MAX_TOKENS}
hedge_after_ms = 5000

[cache]
enabled = false
${provider("instant", INSTANT_MODEL)}${provider("slow", SLOW_MODEL)}
[tasks.expand_queries]
strategy = "FASTEST"
providers = ["instant"]
output = "text"

[tasks.site_tactics]
strategy = "FASTEST"
providers = ["slow"]
output = "text"

[tenancy]
auth = "none"
allow_unauthenticated = true
`;
}

/** Which mock model a request ends at. */
export type EngineSpeed = "instant" | "50ms";

/** One thing the load generator can be pointed at, with the request it sends there for each engine speed. */
export interface OverheadTarget {
  readonly name: "mock" | "forwarder" | "pool";
  readonly process: PinnedProcess;
  request(speed: EngineSpeed): LoadRequest;
}

export interface OverheadWorld {
  readonly mock: OverheadTarget;
  readonly forwarder: OverheadTarget;
  readonly pool: OverheadTarget;
  close(): Promise<void>;
}

export interface OverheadWorldOptions {
  /** CPUs for the pool and the forwarder (one core: the figures are per core). */
  readonly serverCpus: string;
  /** CPUs for the mock engine (the load generator runs where the bench runs). */
  readonly mockCpus: string;
  /** Extra node flags for the pool (a profile: `--cpu-prof`). */
  readonly poolNodeFlags?: readonly string[];
}

/** A scratch folder for a bench's scenario and config files, removed by `remove`. */
export function benchDir(): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), "llm-pool-bench-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The mock engine on `scenario` (JSON text), in its own process. */
export async function startMockProcess(dir: string, scenario: string, cpus?: string): Promise<PinnedProcess> {
  const scenarioPath = join(dir, "scenario.json");
  writeFileSync(scenarioPath, scenario);
  return startPinnedProcess({
    name: "mock engine",
    nodeArgs: [...SOURCE_NODE_FLAGS, "tools/mock-engine/src/cli.ts", "--scenario", scenarioPath, "--port", "0"],
    ...(cpus === undefined ? {} : { cpus }),
    ready: (line) => (line.startsWith("http://") ? line.trim() : undefined),
  });
}

/**
 * The pool on `toml`, started the way the container starts it (`node apps/pool/dist/cli.js serve --config FILE`,
 * see pool-build.ts); `buildPool()` must have run first.
 */
export async function startPoolProcess(dir: string, toml: string, options: { cpus?: string; nodeFlags?: readonly string[] } = {}): Promise<PinnedProcess> {
  const configPath = join(dir, "llm-pool.toml");
  writeFileSync(configPath, toml);
  return startPinnedProcess({
    name: "pool",
    nodeArgs: [...(options.nodeFlags ?? []), ...BUILT_POOL_ENTRY, configPath],
    ...(options.cpus === undefined ? {} : { cpus: options.cpus }),
    ready: listeningUrl,
  });
}

/**
 * Starts the mock engine, the bare forwarder and the pool, each in its own process (the pool exactly as the
 * container starts it), the forwarder and the pool on the same CPU so they are measured on equal terms.
 */
export async function startOverheadWorld(options: OverheadWorldOptions): Promise<OverheadWorld> {
  const dir = benchDir();
  const started: PinnedProcess[] = [];
  const close = async () => {
    await Promise.all(started.map((p) => p.stop()));
    dir.remove();
  };
  try {
    const mock = await startMockProcess(dir.path, scenario(), options.mockCpus);
    started.push(mock);
    const routes = [`--route`, `${INSTANT_TASK}=${INSTANT_MODEL}`, `--route`, `${SLOW_TASK}=${SLOW_MODEL}`];
    const forwarder = await startPinnedProcess({
      name: "bare forwarder",
      nodeArgs: [...SOURCE_NODE_FLAGS, "tools/bench/src/overhead/bare-forwarder.ts", "--upstream", mock.url, ...routes],
      cpus: options.serverCpus,
      ready: (line) => (line.startsWith("http://") ? line.trim() : undefined),
    });
    started.push(forwarder);
    const pool = await startPoolProcess(dir.path, poolToml(mock.url), { cpus: options.serverCpus, ...(options.poolNodeFlags && { nodeFlags: options.poolNodeFlags }) });
    started.push(pool);

    const chat = (speed: EngineSpeed): LoadRequest => ({
      method: "POST",
      path: "/v1/chat/completions",
      body: JSON.stringify({ model: speed === "instant" ? INSTANT_MODEL : SLOW_MODEL, messages: [{ role: "user", content: PROMPT }], max_tokens: MAX_TOKENS }),
    });
    const infer = (speed: EngineSpeed): LoadRequest => ({
      method: "POST",
      path: "/v1/infer",
      body: JSON.stringify({ task: speed === "instant" ? INSTANT_TASK : SLOW_TASK, prompt: PROMPT }),
    });
    return {
      mock: { name: "mock", process: mock, request: chat },
      forwarder: { name: "forwarder", process: forwarder, request: infer },
      pool: { name: "pool", process: pool, request: infer },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The pool's "llm-pool listening" log line carries the port it bound. */
function listeningUrl(line: string): string | undefined {
  if (!line.includes('"llm-pool listening"')) return undefined;
  const port = (JSON.parse(line) as { port?: unknown }).port;
  return typeof port === "number" ? `http://127.0.0.1:${port}` : undefined;
}
