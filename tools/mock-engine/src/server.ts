import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isBadRequest, isBody, type ApiRoutes } from "./api-routes.js";
import { realClock, type Clock } from "./clock.js";
import { EngineState } from "./engine.js";
import { serveGeneration } from "./generation.js";
import { sendJson, sendText } from "./http-write.js";
import { ollamaApi } from "./ollama-api.js";
import { openaiApi } from "./openai-api.js";
import type { RecordEntry } from "./record.js";
import { readJsonBody } from "./request-body.js";
import type { ResolvedScenario, Scenario } from "./scenario.js";
import { loadScenarioFile } from "./scenario-file.js";
import { ScenarioError, validateScenario } from "./scenario-validate.js";
import type { SlotStats } from "./slots.js";

const APIS: readonly ApiRoutes[] = [ollamaApi, openaiApi];

export interface MockEngineOptions {
  /** A scenario object, an already validated one, or the path of a .json/.toml file. */
  scenario: Scenario | ResolvedScenario | string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Real timers unless a test injects its own clock. */
  clock?: Clock;
}

export interface MockEngineStats extends SlotStats {
  resident: string[];
}

export interface MockEngine {
  readonly url: string;
  readonly port: number;
  /** Every API request so far, in arrival order, with its fate. */
  record(): RecordEntry[];
  stats(): MockEngineStats;
  /** Resolves once the record satisfies `predicate` (checked on every change). */
  waitForRecord(predicate: (entries: RecordEntry[]) => boolean, timeoutMs?: number): Promise<RecordEntry[]>;
  /** Clears the record, loaded models and fault scripts; keeps the scenario. */
  reset(): void;
  /** Validates and swaps the scenario; throws ScenarioError. */
  setScenario(scenario: Scenario | ResolvedScenario): void;
  close(): Promise<void>;
}

const isResolved = (s: Scenario | ResolvedScenario): s is ResolvedScenario => s.models instanceof Map;

export function resolveScenario(s: Scenario | ResolvedScenario): ResolvedScenario {
  return isResolved(s) ? s : validateScenario(s);
}

function stats(engine: EngineState): MockEngineStats {
  return { ...engine.slots.stats(), resident: engine.residency.list().map((r) => r.model) };
}

async function control(engine: EngineState, method: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (method === "GET" && path === "/__mock/record") return sendJson(res, 200, { entries: engine.record.list(), stats: stats(engine) });
  if (method === "POST" && path === "/__mock/reset") {
    engine.reset();
    return sendJson(res, 200, { ok: true });
  }
  if (method === "POST" && path === "/__mock/scenario") {
    const body = await readJsonBody(req);
    if (!body.ok) return sendJson(res, 400, { error: body.message, issues: [body.message] });
    try {
      const scenario = validateScenario(body.value);
      engine.setScenario(scenario);
      return sendJson(res, 200, { ok: true, models: [...scenario.models.keys()] });
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      return sendJson(res, 400, { error: err.message, issues: err.issues });
    }
  }
  sendText(res, 404, "404 page not found");
}

async function dispatch(engine: EngineState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  const path = new URL(req.url ?? "/", "http://mock").pathname;
  if (path.startsWith("/__mock/")) return control(engine, method, path, req, res);
  if (path === "/" && (method === "GET" || method === "HEAD")) return sendText(res, 200, "Ollama is running");
  for (const api of APIS) {
    const produce = method === "GET" ? api.get[path] : undefined;
    if (produce) {
      const entry = engine.record.add({ method, route: path, api: api.api });
      engine.record.settle(entry, "completed", { status: 200 });
      return sendJson(res, 200, produce(engine));
    }
    const parse = method === "POST" ? api.post[path] : undefined;
    if (parse) {
      const body = await readJsonBody(req);
      const parsed = !body.ok ? { error: body.message } : isBody(body.value) ? parse(body.value) : { error: "request body must be a JSON object" };
      if (!isBadRequest(parsed)) return serveGeneration(engine, req, res, parsed.input, parsed.wire);
      const model = body.ok && isBody(body.value) && typeof body.value["model"] === "string" ? body.value["model"] : undefined;
      const entry = engine.record.add({ method, route: path, api: api.api, model });
      engine.record.settle(entry, "error", { status: 400 });
      return sendJson(res, 400, api.badRequest(parsed));
    }
  }
  sendText(res, 404, "404 page not found");
}

/** Starts a mock engine speaking the Ollama and OpenAI APIs on one port. */
export async function startMockEngine(options: MockEngineOptions): Promise<MockEngine> {
  const scenario = typeof options.scenario === "string" ? await loadScenarioFile(options.scenario) : resolveScenario(options.scenario);
  const engine = new EngineState(scenario, options.clock ?? realClock);
  const host = options.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    dispatch(engine, req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: `mock engine: ${(err as Error).message}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    record: () => engine.record.list(),
    stats: () => stats(engine),
    waitForRecord: (predicate, timeoutMs) => engine.record.waitFor(predicate, timeoutMs),
    reset: () => engine.reset(),
    setScenario: (s) => engine.setScenario(resolveScenario(s)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung and streaming requests would keep close() waiting forever.
        server.closeAllConnections();
      }),
  };
}
