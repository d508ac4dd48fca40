import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  configError,
  issueAt,
  MINIMAL,
  MINIMAL_PATH,
  minimalWith,
  removeTempDirs,
  tempDir,
  writeFile,
} from "@llm-pool/config/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "./load-config.js";
import { TASK_NAMES } from "./names.js";
import { DEFAULT_SEED, DEFAULT_TEMPERATURE } from "./resolve-tasks.js";

afterEach(removeTempDirs);

const parse = (text: string, baseDir = tempDir()) => parseConfig(text, { baseDir, env: {} });

describe("R-CFG-1: safe defaults for every limit", () => {
  it("fills [server], [qos], [ensemble], [breaker], [cache] and [judge]", async () => {
    const config = await loadConfig(MINIMAL_PATH, { env: {} });
    expect(config.server).toEqual({
      listen: "127.0.0.1:7070",
      host: "127.0.0.1",
      port: 7070,
      max_body_bytes: 65_536,
      max_header_bytes: 16_384,
      header_timeout_ms: 10_000,
      request_timeout_ms: 30_000,
      idle_timeout_ms: 60_000,
      max_connections: 1024,
      max_streams_per_connection: 100,
      max_in_flight: 512,
      shutdown_grace_ms: 10_000,
      metrics_public: true,
      log_prompts: false,
      cors_allowed_origins: [],
      tls: null,
      openai_compatible: true,
      ollama_listen: null,
      ollama: null,
    });
    expect(config.qos).toEqual({
      max_deadline_ms: 1500,
      default_deadline_ms: 1200,
      max_prompt_bytes: 16_384,
      max_tokens_cap: 1024,
      default_max_tokens: 256,
      hedge_after_ms: 300,
      deadline_margin_ms: 30,
      judge_share: 0.3,
      hedge_budget_share: 0.15,
      hedge_mode: "fixed",
      hedge_percentile: 0.9,
      adaptive_concurrency: true,
    });
    expect(config.ensemble).toEqual({
      default_strategy: "FASTEST",
      similarity_threshold: 0.8,
      consensus_threshold: 0.66,
      min_candidates: 2,
      win_rate_store: "memory",
      win_rate_redis_url_env: null,
      win_rate_half_life_ms: 3_600_000,
    });
    expect(config.breaker).toEqual({ window_size: 50, failure_rate: 0.1, min_calls: 10, open_ms: 5_000, max_open_ms: 300_000, half_open_probes: 1, slow_factor: 2 });
    expect(config.cache).toEqual({
      enabled: true,
      driver: "memory",
      default_ttl_ms: 600_000,
      max_entries: 10_000,
      max_bytes: 64 * 1024 * 1024,
      redis_url_env: null,
      idempotency_ttl_ms: 900_000,
      share_across_tenants: false,
      idempotency_on_store_failure: "open",
    });
    expect(config.judge).toEqual({ provider: null, max_tokens: 128, fallback: "VOTING" });
    expect(config.redis).toEqual({ command_timeout_ms: 500 });
  });

  it("fills provider defaults by driver: one Ollama engine per base URL with concurrency 2", async () => {
    const config = await loadConfig(MINIMAL_PATH, { env: {} });
    expect(config.providers).toEqual([
      {
        name: "local",
        driver: "ollama",
        model: "phi3:mini",
        base_url: "http://127.0.0.1:11434",
        engine: "http://127.0.0.1:11434",
        max_concurrency: 2,
        keep_alive: "30m",
        endpoint: "chat",
        tasks: [...TASK_NAMES],
        weight: 1,
        timeout_ms: null,
      },
    ]);
    expect(config.engines).toEqual([{ name: "http://127.0.0.1:11434", max_concurrency: 2, providers: ["local"] }]);
  });

  it("resolves a task absent from the file from [qos], [ensemble], [cache] and the providers that list it", async () => {
    const config = await loadConfig(MINIMAL_PATH, { env: {} });
    expect(config.tasks.recovery_plan).toEqual({
      name: "recovery_plan",
      enabled: true,
      profile: null,
      strategy: "FASTEST",
      providers: ["local"],
      fallback_providers: [],
      weights: { local: 1 },
      deadline_ms: 1200,
      max_tokens: 256,
      hedge_after_ms: 300,
      cache_ttl_ms: 600_000,
      priority: 5,
      temperature: DEFAULT_TEMPERATURE,
      seed: DEFAULT_SEED,
      output: "text",
      prompt_file: null,
      prompt: null,
      schema_file: null,
      schema: null,
    });
    expect(Object.keys(config.tasks).sort()).toEqual([...TASK_NAMES].sort());
  });

  it("switches off a task that no provider serves and the file does not mention", async () => {
    const text = MINIMAL.replace('model = "phi3:mini"', 'model = "phi3:mini"\ntasks = ["judge"]');
    const config = await parse(text);
    expect(config.tasks.judge.enabled).toBe(true);
    expect(config.tasks.expand_queries).toMatchObject({ enabled: false, providers: [] });
  });

  it("fills tenant limits, capped by [qos]", async () => {
    const text = `${MINIMAL.replace(/\[tenancy\][\s\S]*$/, "")}[tenancy.tenants.acme]\nprojects = ["a", "b"]\nkeys = [{ id = "k", secret_env = "K" }]\n`;
    const config = await parseConfig(text, { baseDir: tempDir(), env: { K: "x".repeat(32) } });
    expect(config.tenancy).toMatchObject({ auth: "hmac", allow_unauthenticated: false, nonce_store: "memory", clock_skew_s: 300, nonce_ttl_s: 600 });
    expect(config.tenancy.tenants.acme).toMatchObject({
      enabled: true,
      default_project: "a",
      keys: [{ id: "k", secret_env: "K" }],
      api_keys: [],
      jwt: null,
      rate_rps: 10,
      rate_burst: 20,
      max_tokens: 1024,
      max_deadline_ms: 1500,
      max_parallel_providers: 3,
      weight: 1,
      allowed_tasks: [...TASK_NAMES],
    });
  });

  it("parses listen addresses with IPv6 hosts in brackets", async () => {
    const config = await parse(`[server]\nlisten = "[::1]:0"\n${MINIMAL}`);
    expect(config.server).toMatchObject({ listen: "[::1]:0", host: "::1", port: 0 });
    const error = await configError(parse(`[server]\nlisten = "::1:7070"\n${MINIMAL}`));
    expect(issueAt(error, "server.listen").message).toMatch(/host:port/);
  });
});

describe("the snapshot", () => {
  it("has a version from the file bytes and the path it was loaded from", async () => {
    const config = await loadConfig(MINIMAL_PATH, { env: {} });
    const expected = createHash("sha256").update(readFileSync(MINIMAL_PATH)).digest("hex").slice(0, 16);
    expect(config.version).toBe(expected);
    expect(config.version).toMatch(/^[0-9a-f]{16}$/);
    expect(config.path).toBe(MINIMAL_PATH);
  });

  it("R-CFG-2: is deeply frozen", async () => {
    const config = await loadConfig(MINIMAL_PATH, { env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.providers[0])).toBe(true);
    expect(Object.isFrozen(config.tasks.judge.providers)).toBe(true);
    expect(() => {
      (config.qos as { max_deadline_ms: number }).max_deadline_ms = 99_999;
    }).toThrow(TypeError);
    expect(() => {
      (config.tasks.judge.providers as string[]).push("x");
    }).toThrow(TypeError);
  });

  it("loads prompt text and parses schema files relative to the config file", async () => {
    const dir = tempDir();
    writeFile(dir, "judge.md", "Pick the best candidate.\n");
    writeFile(dir, "judge.schema.json", '{"type":"object","required":["winner_id"],"properties":{"winner_id":{"type":"string"}}}');
    const path = writeFile(
      dir,
      "llm-pool.toml",
      minimalWith('[tasks.judge]\nprompt_file = "judge.md"\noutput = "json_schema"\nschema_file = "judge.schema.json"'),
    );
    const config = await loadConfig(path, { env: {} });
    expect(config.tasks.judge).toMatchObject({
      prompt_file: join(dir, "judge.md"),
      prompt: "Pick the best candidate.\n",
      output: "json_schema",
      schema_file: join(dir, "judge.schema.json"),
      schema: { type: "object", required: ["winner_id"], properties: { winner_id: { type: "string" } } },
    });
    expect(Object.isFrozen(config.tasks.judge.schema)).toBe(true);
  });

  it("rejects a schema file that is not JSON", async () => {
    const dir = tempDir();
    writeFile(dir, "s.json", "{not json");
    const text = minimalWith('[tasks.judge]\noutput = "json_schema"\nschema_file = "s.json"');
    const issue = issueAt(await configError(parse(text, dir)), "tasks.judge.schema_file");
    expect(issue).toMatchObject({ kind: "file" });
    expect(issue.message).toMatch(/not valid JSON/);
  });
});

describe("R-ENS-6: task schemas meet the limits client schemas do", () => {
  it.each([
    ["a schema that refers to itself", '{"$ref": "#"}', /^is not a JSON Schema the pool can check answers with: at \/\$ref "#" leads back to a schema that contains it; recursive \$ref is not supported$/],
    ["a reference to another document", '{"$ref": "https://example.test/s.json"}', /only local references/],
    ["a pattern the linear-time engine does not have", '{"type": "string", "pattern": "^(?=a)"}', /is not supported/],
    ["a schema the meta-schema rejects", '{"type": "no-such-type"}', /at \/type must be equal to one of the allowed values/],
  ])("refuses %s at load, naming the schema_file", async (_, json, message) => {
    const dir = tempDir();
    writeFile(dir, "s.json", json);
    const text = minimalWith('[tasks.judge]\noutput = "json_schema"\nschema_file = "s.json"');
    const issue = issueAt(await configError(parse(text, dir)), "tasks.judge.schema_file");
    expect(issue).toMatchObject({ kind: "file" });
    expect(issue.message).toMatch(message);
  });
});

describe("profiles", () => {
  const PROFILED = `
[[providers]]
name = "phi"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "phi3:mini"
weight = 0.5

[[providers]]
name = "gemma"
driver = "ollama"
base_url = "http://127.0.0.1:11434/"
model = "gemma2:9b"

[profiles.FAST-LOW]
strategy = "FASTEST"
providers = ["phi", "gemma"]
hedge_after_ms = 250

[profiles.COST-SAVER]
strategy = "WEIGHTED"
providers = ["phi", "gemma"]
weights = { phi = 0.6, gemma = 0.4 }

[tasks.expand_queries]
profile = "FAST-LOW"

[tasks.enrich_metadata]
profile = "COST-SAVER"
weights = { gemma = 0.9 }

[tasks.recovery_plan]
profile = "FAST-LOW"
strategy = "VOTING"
providers = ["gemma", "phi"]
hedge_after_ms = 100

[tenancy]
auth = "none"
allow_unauthenticated = true
`;

  it("give a task its strategy, hedge order and hedge delay", async () => {
    const config = await parse(PROFILED);
    expect(config.tasks.expand_queries).toMatchObject({
      profile: "FAST-LOW",
      strategy: "FASTEST",
      providers: ["phi", "gemma"],
      hedge_after_ms: 250,
      weights: { phi: 0.5, gemma: 1 },
    });
    expect(config.profiles["FAST-LOW"]).toEqual({
      name: "FAST-LOW",
      strategy: "FASTEST",
      providers: ["phi", "gemma"],
      hedge_after_ms: 250,
      weights: {},
    });
  });

  it("layer weights: task over profile over provider", async () => {
    const config = await parse(PROFILED);
    expect(config.tasks.enrich_metadata).toMatchObject({ strategy: "WEIGHTED", weights: { phi: 0.6, gemma: 0.9 } });
  });

  it("yield to fields the task sets itself", async () => {
    const config = await parse(PROFILED);
    expect(config.tasks.recovery_plan).toMatchObject({
      profile: "FAST-LOW",
      strategy: "VOTING",
      providers: ["gemma", "phi"],
      hedge_after_ms: 100,
    });
  });

  it("group providers on one base URL into one engine, trailing slash or not", async () => {
    const config = await parse(PROFILED);
    expect(config.engines).toEqual([{ name: "http://127.0.0.1:11434", max_concurrency: 2, providers: ["phi", "gemma"] }]);
  });

  it("must exist when a task names one", async () => {
    const error = await configError(parse(PROFILED.replace('profile = "COST-SAVER"', 'profile = "CHEAP"')));
    expect(issueAt(error, "tasks.enrich_metadata.profile").message).toBe('unknown profile "CHEAP"; defined profiles: FAST-LOW, COST-SAVER');
  });
});
