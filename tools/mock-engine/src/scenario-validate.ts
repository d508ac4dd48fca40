import { parseKeepAlive } from "./keep-alive.js";
import {
  FAULT_KINDS,
  type AnswerRule,
  type LatencySpec,
  type ResolvedFaults,
  type ResolvedModel,
  type ResolvedScenario,
  type ScriptStep,
} from "./scenario.js";

/** A scenario that cannot be played; `issues` name each bad field by its path. */
export class ScenarioError extends Error {
  readonly issues: string[];

  constructor(issues: string[], source = "scenario") {
    super(`invalid ${source}:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.name = "ScenarioError";
    this.issues = issues;
  }
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const at = (path: string, key: string) => (/^[A-Za-z_]\w*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(JSON.stringify(v) ?? v));

/** Collects every problem instead of stopping at the first, so one run shows them all. */
class Checker {
  readonly issues: string[] = [];

  fail(path: string, message: string): undefined {
    this.issues.push(`${path}: ${message}`);
    return undefined;
  }

  keys(obj: Obj, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.fail(at(path, key), `unknown field (expected one of ${allowed.join(", ")})`);
    }
  }

  number(obj: Obj, key: string, path: string, rule: { min?: number; above?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    const where = at(path, key);
    if (typeof v !== "number" || !Number.isFinite(v)) return this.fail(where, `must be a number (got ${show(v)})`);
    if (rule.integer && !Number.isInteger(v)) return this.fail(where, `must be an integer (got ${v})`);
    if (rule.min !== undefined && v < rule.min) return this.fail(where, `must be >= ${rule.min} (got ${v})`);
    if (rule.above !== undefined && v <= rule.above) return this.fail(where, `must be > ${rule.above} (got ${v})`);
    if (rule.max !== undefined && v > rule.max) return this.fail(where, `must be <= ${rule.max} (got ${v})`);
    return v;
  }

  required(obj: Obj, key: string, path: string, rule: Parameters<Checker["number"]>[3] = {}): number | undefined {
    if (obj[key] === undefined) return this.fail(at(path, key), "is required");
    return this.number(obj, key, path, rule);
  }

  string(obj: Obj, key: string, path: string): string | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v.length === 0) return this.fail(at(path, key), `must be a non-empty string (got ${show(v)})`);
    return v;
  }
}

const LATENCY_FIELDS: Record<LatencySpec["kind"], string[]> = {
  fixed: ["ms"],
  uniform: ["min_ms", "max_ms"],
  lognormal: ["p50_ms", "p95_ms"],
  throughput: ["tokens_per_s", "prompt_tokens_per_s"],
};

function latency(c: Checker, v: unknown, path: string): LatencySpec | undefined {
  if (v === undefined) return { kind: "fixed", ms: 0 };
  if (!isObj(v)) return c.fail(path, "must be an object with a kind");
  const kind = v["kind"];
  if (typeof kind !== "string" || !(kind in LATENCY_FIELDS)) {
    return c.fail(at(path, "kind"), `must be one of ${Object.keys(LATENCY_FIELDS).join(", ")} (got ${show(kind)})`);
  }
  const fields = LATENCY_FIELDS[kind as LatencySpec["kind"]];
  c.keys(v, path, ["kind", ...fields, "cold_load_ms"]);
  const cold = c.number(v, "cold_load_ms", path, { min: 0 }) ?? 0;
  const positive = kind === "throughput" ? { above: 0 } : { min: 0 };
  const values = fields.map((f) => c.required(v, f, path, positive));
  if (values.some((x) => x === undefined)) return undefined;
  const [a = 0, b = 0] = values as number[];
  switch (kind) {
    case "fixed":
      return { kind, ms: a, cold_load_ms: cold };
    case "uniform":
      if (a > b) return c.fail(at(path, "max_ms"), `must be >= min_ms (${a})`);
      return { kind, min_ms: a, max_ms: b, cold_load_ms: cold };
    case "lognormal":
      if (a <= 0) return c.fail(at(path, "p50_ms"), "must be > 0");
      if (b < a) return c.fail(at(path, "p95_ms"), `must be >= p50_ms (${a})`);
      return { kind, p50_ms: a, p95_ms: b, cold_load_ms: cold };
    default:
      return { kind: "throughput", tokens_per_s: a, prompt_tokens_per_s: b, cold_load_ms: cold };
  }
}

const ANSWER_FIELDS: Record<AnswerRule["mode"], string[]> = {
  "echo-hash": ["words"],
  text: ["text"],
  json: ["json"],
  "invalid-json": [],
};

function answerRule(c: Checker, v: unknown, path: string): AnswerRule | undefined {
  if (!isObj(v)) return c.fail(path, "must be an object with a mode");
  const mode = v["mode"];
  if (typeof mode !== "string" || !(mode in ANSWER_FIELDS)) {
    return c.fail(at(path, "mode"), `must be one of ${Object.keys(ANSWER_FIELDS).join(", ")} (got ${show(mode)})`);
  }
  c.keys(v, path, ["mode", "match", ...ANSWER_FIELDS[mode as AnswerRule["mode"]]]);
  let match: AnswerRule["match"];
  if (v["match"] !== undefined) {
    const m = v["match"];
    const mp = at(path, "match");
    if (!isObj(m)) return c.fail(mp, "must be an object with contains and/or regex");
    c.keys(m, mp, ["contains", "regex"]);
    const contains = c.string(m, "contains", mp);
    const regex = c.string(m, "regex", mp);
    if (regex !== undefined) {
      try {
        new RegExp(regex);
      } catch (err) {
        c.fail(at(mp, "regex"), `is not a valid regular expression (${(err as Error).message})`);
      }
    }
    match = { ...(contains !== undefined && { contains }), ...(regex !== undefined && { regex }) };
  }
  const base = match ? { match } : {};
  switch (mode) {
    case "echo-hash": {
      const words = c.number(v, "words", path, { min: 1, max: 4096, integer: true });
      return { ...base, mode, ...(words !== undefined && { words }) };
    }
    case "text": {
      if (typeof v["text"] !== "string") return c.fail(at(path, "text"), "must be a string");
      return { ...base, mode, text: v["text"] };
    }
    case "json": {
      const json = v["json"];
      if (typeof json !== "object" || json === null) return c.fail(at(path, "json"), "must be an object or an array");
      return { ...base, mode, json };
    }
    default:
      return { ...base, mode: "invalid-json" };
  }
}

function answers(c: Checker, v: unknown, path: string): AnswerRule[] {
  if (v === undefined) return [{ mode: "echo-hash" }];
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) return [{ mode: "echo-hash" }];
  return list.flatMap((rule, i) => answerRule(c, rule, Array.isArray(v) ? `${path}[${i}]` : path) ?? []);
}

const SCRIPT_STEPS: readonly string[] = [...FAULT_KINDS, "none"];

function faults(c: Checker, v: unknown, path: string): ResolvedFaults {
  const resolved: ResolvedFaults = { probabilities: [], script: [], retryAfterS: 1, slowTokenMs: 250 };
  if (v === undefined) return resolved;
  if (!isObj(v)) return c.fail(path, "must be an object") ?? resolved;
  c.keys(v, path, ["probabilities", "script", "retry_after_s", "slow_token_ms"]);
  resolved.retryAfterS = c.number(v, "retry_after_s", path, { min: 0, integer: true }) ?? 1;
  resolved.slowTokenMs = c.number(v, "slow_token_ms", path, { min: 0 }) ?? 250;
  const probs = v["probabilities"];
  if (probs !== undefined) {
    const pp = at(path, "probabilities");
    if (!isObj(probs)) c.fail(pp, "must be an object of fault -> probability");
    else {
      c.keys(probs, pp, FAULT_KINDS);
      for (const kind of FAULT_KINDS) {
        const p = c.number(probs, kind, pp, { min: 0, max: 1 });
        if (p !== undefined && p > 0) resolved.probabilities.push([kind, p]);
      }
      const sum = resolved.probabilities.reduce((s, [, p]) => s + p, 0);
      if (sum > 1 + 1e-9) c.fail(pp, `probabilities add up to ${Number(sum.toFixed(6))}, more than 1`);
    }
  }
  const script = v["script"];
  if (script !== undefined) {
    const sp = at(path, "script");
    if (!Array.isArray(script)) c.fail(sp, "must be an array of fault names or \"none\"");
    else {
      script.forEach((step, i) => {
        if (typeof step === "string" && SCRIPT_STEPS.includes(step)) resolved.script.push(step as ScriptStep);
        else c.fail(`${sp}[${i}]`, `must be one of ${SCRIPT_STEPS.join(", ")} (got ${show(step)})`);
      });
    }
  }
  return resolved;
}

function model(c: Checker, name: string, v: unknown, path: string): ResolvedModel | undefined {
  if (!isObj(v)) return c.fail(path, "must be an object");
  c.keys(v, path, ["family", "parameter_size", "quantization_level", "size_bytes", "context_length", "latency", "answers", "faults"]);
  const lat = latency(c, v["latency"], at(path, "latency"));
  const resolved: ResolvedModel = {
    name,
    family: c.string(v, "family", path) ?? name,
    parameterSize: c.string(v, "parameter_size", path) ?? "",
    quantizationLevel: c.string(v, "quantization_level", path) ?? "Q4_K_M",
    sizeBytes: c.number(v, "size_bytes", path, { min: 0, integer: true }) ?? 2_000_000_000,
    contextLength: c.number(v, "context_length", path, { min: 1, integer: true }) ?? 4096,
    latency: lat ?? { kind: "fixed", ms: 0 },
    answers: answers(c, v["answers"], at(path, "answers")),
    faults: faults(c, v["faults"], at(path, "faults")),
  };
  return resolved;
}

/** Checks a scenario (parsed JSON/TOML or an object) and fills in defaults; throws ScenarioError naming every bad field. */
export function validateScenario(input: unknown, source = "scenario"): ResolvedScenario {
  const c = new Checker();
  const root = "scenario";
  if (!isObj(input)) throw new ScenarioError([`${root}: must be an object with a models table`], source);
  c.keys(input, root, ["seed", "slots", "time_scale", "default_keep_alive", "models"]);
  const scenario: ResolvedScenario = {
    seed: c.number(input, "seed", root, { min: 0, integer: true }) ?? 0,
    slots: c.number(input, "slots", root, { min: 1, integer: true }) ?? 4,
    timeScale: c.number(input, "time_scale", root, { min: 0 }) ?? 1,
    defaultKeepAliveMs: 5 * 60_000,
    models: new Map(),
  };
  if (input["default_keep_alive"] !== undefined) {
    try {
      scenario.defaultKeepAliveMs = parseKeepAlive(input["default_keep_alive"]);
    } catch (err) {
      c.fail(at(root, "default_keep_alive"), (err as Error).message);
    }
  }
  const models = input["models"];
  const mp = at(root, "models");
  if (!isObj(models)) c.fail(mp, "is required: an object of model name -> model settings");
  else if (Object.keys(models).length === 0) c.fail(mp, "must name at least one model");
  else {
    for (const [name, spec] of Object.entries(models)) {
      const resolved = model(c, name, spec, at(mp, name));
      if (resolved) scenario.models.set(name, resolved);
    }
  }
  if (c.issues.length > 0) throw new ScenarioError(c.issues, source);
  return scenario;
}

