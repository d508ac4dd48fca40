import { configError, issueAt, lineOf, removeTempDirs, tempDir, writeFile } from "@llm-pool/config/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { loadConfig, parseConfig } from "./load-config.js";

afterEach(removeTempDirs);

// Two providers, a judge, one tenant with a key: small, valid, and with something in every section
// the checks below poke at.
const BASE = `[server]
listen = "127.0.0.1:7070"

[qos]
max_deadline_ms = 1500

[judge]
provider = "llama"

[[providers]]
name = "phi"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "phi3:mini"

[[providers]]
name = "llama"
driver = "ollama"
base_url = "http://127.0.0.1:11434"
model = "llama3.1:8b"
tasks = ["judge", "site_tactics", "expand_queries"]

[tasks.site_tactics]
strategy = "JUDGE"
providers = ["llama", "phi"]

[tenancy.tenants.vvtv]
projects = ["planner"]
keys = [{ id = "vvtv-a", secret_env = "KEY_A" }]
`;
const ENV = { KEY_A: "s3cret-s3cret-s3cret-s3cret-s3cret" };

function parse(text: string, env: Record<string, string> = ENV) {
  return parseConfig(text, { baseDir: tempDir(), env, path: "llm-pool.toml" });
}

describe("R-CFG-1: TOML syntax errors", () => {
  it("report the line and column of the problem", async () => {
    const text = BASE.replace('model = "phi3:mini"', 'model = "phi3:mini');
    const error = await configError(parse(text));
    expect(error.issues).toHaveLength(1);
    const [issue] = error.issues;
    expect(issue).toMatchObject({ kind: "syntax", path: "", line: lineOf(text, 'model = "phi3:mini') });
    expect(issue?.column).toBeGreaterThan(1);
    expect(error.format()).toMatch(/^llm-pool\.toml:14:\d+ \S/);
    expect(error.format()).not.toContain("\n");
  });

  it("report a key defined twice", async () => {
    const text = BASE.replace('listen = "127.0.0.1:7070"', 'listen = "127.0.0.1:7070"\nlisten = "0.0.0.0:7070"');
    const [issue] = (await configError(parse(text))).issues;
    expect(issue).toMatchObject({ kind: "syntax", line: 3 });
  });

  it("refuse prototype-polluting keys", async () => {
    const [issue] = (await configError(parse(`${BASE}\n[server.__proto__]\nx = 1\n`))).issues;
    expect(issue?.kind).toBe("syntax");
  });
});

describe("R-CFG-1: schema errors name the field and its line", () => {
  it("a wrong URL points at providers[i].base_url", async () => {
    const text = BASE.replace('base_url = "http://127.0.0.1:11434"\nmodel = "llama3.1:8b"', 'base_url = "127.0.0.1:11434"\nmodel = "llama3.1:8b"');
    const error = await configError(parse(text));
    expect(issueAt(error, "providers[1].base_url")).toMatchObject({
      kind: "schema",
      message: "must be an http(s) URL",
      line: lineOf(text, 'base_url = "127.0.0.1'),
      column: 1,
    });
    expect(error.format()).toBe(`llm-pool.toml:${lineOf(text, 'base_url = "127.0.0.1')}:1 providers[1].base_url: must be an http(s) URL`);
  });

  it("a URL with credentials is refused", async () => {
    const text = BASE.replace('base_url = "http://127.0.0.1:11434"\nmodel = "phi3:mini"', 'base_url = "http://u:p@127.0.0.1:11434"\nmodel = "phi3:mini"');
    expect(issueAt(await configError(parse(text)), "providers[0].base_url").message).toMatch(/credentials/);
  });

  it("a wrong type says what was expected and what was found", async () => {
    const text = BASE.replace("max_deadline_ms = 1500", 'max_deadline_ms = "1500"');
    expect(issueAt(await configError(parse(text)), "qos.max_deadline_ms")).toMatchObject({
      message: "must be a number, not a string",
      line: 5,
    });
  });

  it("a float where an integer is needed", async () => {
    const text = BASE.replace("max_deadline_ms = 1500", "max_deadline_ms = 1500.5");
    expect(issueAt(await configError(parse(text)), "qos.max_deadline_ms").message).toBe("must be an integer, not a float");
  });

  it("R-QOS-5: a task priority outside 0-9 gives the bound", async () => {
    const text = BASE.replace('providers = ["llama", "phi"]', 'providers = ["llama", "phi"]\npriority = 12');
    expect(issueAt(await configError(parse(text)), "tasks.site_tactics.priority").message).toBe("must be at most 9");
  });

  it("a value out of range gives the bound", async () => {
    const text = BASE.replace("max_deadline_ms = 1500", "max_deadline_ms = 1500\njudge_share = 0.95");
    expect(issueAt(await configError(parse(text)), "qos.judge_share").message).toBe("must be at most 0.9");
  });

  it("[redis] command_timeout_ms out of range names the field and the bound", async () => {
    const text = `[redis]\ncommand_timeout_ms = 5\n\n${BASE}`;
    const issue = issueAt(await configError(parse(text)), "redis.command_timeout_ms");
    expect(issue.message).toBe("must be at least 10");
    expect(issue.line).toBe(2);
  });

  it("a missing required field points at its table", async () => {
    const text = BASE.replace('model = "phi3:mini"\n', "");
    expect(issueAt(await configError(parse(text)), "providers[0].model")).toMatchObject({
      message: "is required",
      line: lineOf(text, "[[providers]]"),
    });
  });

  it("an unknown enum value lists the allowed ones", async () => {
    const text = BASE.replace('strategy = "JUDGE"', 'strategy = "BEST"');
    expect(issueAt(await configError(parse(text)), "tasks.site_tactics.strategy").message).toBe(
      'must be one of "FASTEST", "VOTING", "CONSENSUS", "WEIGHTED", "JUDGE"',
    );
  });

  it("an unknown driver lists the drivers", async () => {
    const text = BASE.replace('driver = "ollama"', 'driver = "vllm"');
    expect(issueAt(await configError(parse(text)), "providers[0].driver").message).toBe(
      'must be one of "ollama", "openai", "http", "embedded"',
    );
  });

  it("a CORS origin that is not exactly scheme://host[:port] (R-SDK-1: browsers send the origin in that form only)", async () => {
    const origins = ["https://app.example.com", "http://127.0.0.1:8080", "*", "https://app.example.com/", "https://app.example.com/ui", "null", "ftp://app.example.com"];
    const text = BASE.replace('listen = "127.0.0.1:7070"', `listen = "127.0.0.1:7070"\ncors_allowed_origins = ${JSON.stringify(origins)}`);
    const error = await configError(parse(text));
    expect(error.issues.map((i) => i.path)).toEqual([2, 3, 4, 5, 6].map((i) => `server.cors_allowed_origins[${i}]`));
    expect(issueAt(error, "server.cors_allowed_origins[2]").message).toBe(
      'must be an origin: scheme://host[:port] with no path or trailing slash (e.g. "https://app.example.com")',
    );
    const valid = BASE.replace('listen = "127.0.0.1:7070"', `listen = "127.0.0.1:7070"\ncors_allowed_origins = ${JSON.stringify(origins.slice(0, 2))}`);
    expect((await parse(valid)).server.cors_allowed_origins).toEqual(origins.slice(0, 2));
  });

  it("no providers at all", async () => {
    const error = await configError(parse('[tenancy]\nauth = "none"\nallow_unauthenticated = true\n'));
    expect(issueAt(error, "providers").message).toBe("at least one [[providers]] entry is required");
  });

  it("reports every problem at once, in file order", async () => {
    const text = BASE.replace('listen = "127.0.0.1:7070"', 'listen = "localhost"').replace("max_deadline_ms = 1500", "max_deadline_ms = -1");
    const error = await configError(parse(text));
    expect(error.issues.map((i) => i.path)).toEqual(["server.listen", "qos.max_deadline_ms"]);
    expect(error.format().split("\n")).toHaveLength(2);
  });
});

describe("R-CFG-1: unknown keys are errors", () => {
  it("at the top level, in a table and in an array entry", async () => {
    const text = BASE.replace('listen = "127.0.0.1:7070"', 'listen_addr = "0.0.0.0:7070"').replace(
      'model = "phi3:mini"',
      'model = "phi3:mini"\nkeepalive = "5m"',
    ) + '\n[metrics]\nenabled = true\n';
    const error = await configError(parse(text));
    expect(issueAt(error, "server.listen_addr")).toMatchObject({ message: "unknown key", line: 2, column: 1 });
    expect(issueAt(error, "providers[0].keepalive")).toMatchObject({ message: "unknown key", line: lineOf(text, "keepalive") });
    expect(issueAt(error, "metrics").line).toBe(lineOf(text, "[metrics]"));
  });

  it("an unknown task name", async () => {
    const error = await configError(parse(`${BASE}\n[tasks.summarise]\nstrategy = "FASTEST"\n`));
    expect(issueAt(error, "tasks.summarise").message).toBe("unknown task");
  });

  it("a field of another driver is named as such", async () => {
    const text = BASE.replace('model = "phi3:mini"', 'model = "phi3:mini"\napi_key_env = "X"');
    expect(issueAt(await configError(parse(text)), "providers[0].api_key_env").message).toBe(
      "is not used by the ollama driver (only by openai, http)",
    );
  });

  it("base_url is refused for an embedded provider", async () => {
    const text = `${BASE}\n[[providers]]\nname = "emb"\ndriver = "embedded"\nmodel = "tiny"\nmodel_path = "tiny.gguf"\nbase_url = "http://x"\n`;
    expect(issueAt(await configError(parse(text)), "providers[2].base_url").message).toMatch(/not used by the embedded driver/);
  });
});

describe("R-CFG-1 / R-SEC-1: secrets only by env-var reference", () => {
  it("an inline secret is refused with a pointer to secret_env", async () => {
    const text = BASE.replace('{ id = "vvtv-a", secret_env = "KEY_A" }', '{ id = "vvtv-a", secret = "hunter2" }');
    const issue = issueAt(await configError(parse(text)), "tenancy.tenants.vvtv.keys[0].secret");
    expect(issue.message).toMatch(/inline secrets are not allowed.*secret_env/);
    expect(issue.line).toBe(lineOf(text, "hunter2"));
  });

  it("an inline api_key on a provider points at api_key_env", async () => {
    const text = BASE.replace('model = "phi3:mini"', 'model = "phi3:mini"\napi_key = "sk-123"');
    expect(issueAt(await configError(parse(text)), "providers[0].api_key").message).toMatch(/api_key_env/);
  });

  it("an unset env var is an error naming the field and the variable", async () => {
    const error = await configError(parse(BASE, {}));
    expect(issueAt(error, "tenancy.tenants.vvtv.keys[0].secret_env")).toMatchObject({
      kind: "env",
      message: "environment variable KEY_A is not set",
      line: lineOf(BASE, "KEY_A"),
    });
  });

  it("an empty env var counts as unset", async () => {
    await configError(parse(BASE, { KEY_A: "" }));
  });

  it("a disabled tenant's key is not required", async () => {
    const text = BASE.replace('projects = ["planner"]', 'projects = ["planner"]\nenabled = false');
    await expect(parse(text, {})).resolves.toBeDefined();
  });

  it("http credential headers must use ${ENV}", async () => {
    const http = `\n[[providers]]\nname = "h"\ndriver = "http"\nbase_url = "https://api.example.com"\nmodel = "m"\npath = "/v1/gen"\ntext_path = "output.text"\nbody_template = { prompt = "{{prompt}}" }\nheaders = { Authorization = "Bearer abc" }\n`;
    const error = await configError(parse(BASE + http));
    expect(issueAt(error, "providers[2].headers.Authorization").message).toMatch(/environment variable/);
    const ok = http.replace("Bearer abc", "Bearer ${HTTP_TOKEN}");
    const missing = await configError(parse(BASE + ok));
    expect(issueAt(missing, "providers[2].headers.Authorization").message).toBe("environment variable HTTP_TOKEN is not set");
    await expect(parse(BASE + ok, { ...ENV, HTTP_TOKEN: "t" })).resolves.toBeDefined();
  });

  it("http body templates only take known placeholders", async () => {
    const http = `\n[[providers]]\nname = "h"\ndriver = "http"\nbase_url = "https://api.example.com"\nmodel = "m"\npath = "/v1/gen"\ntext_path = "output.text"\nbody_template = { input = "{{promt}}" }\n`;
    expect(issueAt(await configError(parse(BASE + http)), "providers[2].body_template").message).toMatch(/placeholders/);
  });
});

describe("R-CFG-1: cross-field checks", () => {
  it("judge.provider must exist", async () => {
    const text = BASE.replace('provider = "llama"', 'provider = "llamma"');
    expect(issueAt(await configError(parse(text)), "judge.provider")).toMatchObject({
      kind: "reference",
      line: lineOf(text, "llamma"),
    });
  });

  it("a JUDGE task needs a judge", async () => {
    const text = BASE.replace('[judge]\nprovider = "llama"\n', "");
    expect(issueAt(await configError(parse(text)), "judge.provider").message).toMatch(/site_tactics.*JUDGE/);
  });

  it("task providers must exist and list the task", async () => {
    const text = BASE.replace('providers = ["llama", "phi"]', 'providers = ["llama", "gemma"]\nfallback_providers = ["phi"]').replace(
      'tasks = ["judge", "site_tactics", "expand_queries"]',
      'tasks = ["judge", "site_tactics"]',
    ).replace('model = "phi3:mini"', 'model = "phi3:mini"\ntasks = ["expand_queries"]');
    const error = await configError(parse(text));
    expect(issueAt(error, "tasks.site_tactics.providers[1]")).toMatchObject({
      message: 'unknown provider "gemma"; defined providers: phi, llama',
      column: 23,
    });
    expect(issueAt(error, "tasks.site_tactics.fallback_providers[0]").message).toBe(
      'provider "phi" does not list task "site_tactics" in its tasks',
    );
  });

  it("a task deadline above qos.max_deadline_ms", async () => {
    const text = BASE.replace('providers = ["llama", "phi"]', 'providers = ["llama", "phi"]\ndeadline_ms = 2000');
    expect(issueAt(await configError(parse(text)), "tasks.site_tactics.deadline_ms").message).toBe(
      "must be at most qos.max_deadline_ms (1500)",
    );
  });

  it("qos defaults must fit their maximums", async () => {
    const text = BASE.replace("max_deadline_ms = 1500", "max_deadline_ms = 1000\ndefault_max_tokens = 2048");
    const error = await configError(parse(text));
    expect(issueAt(error, "qos.default_deadline_ms").message).toBe("must be at most max_deadline_ms (1000)");
    expect(issueAt(error, "qos.default_max_tokens").message).toBe("must be at most max_tokens_cap (1024)");
  });

  it("a breaker's longest opening must be at least its first", async () => {
    const text = BASE.replace("[qos]", "[breaker]\nopen_ms = 60000\nmax_open_ms = 30000\n\n[qos]");
    expect(issueAt(await configError(parse(text)), "breaker.max_open_ms").message).toBe("must be at least open_ms (60000)");
  });

  it("an ensemble strategy needs min_candidates providers", async () => {
    const text = BASE.replace('providers = ["llama", "phi"]', 'providers = ["llama"]');
    expect(issueAt(await configError(parse(text)), "tasks.site_tactics.providers").message).toMatch(/JUDGE needs at least 2 providers/);
  });

  it("duplicate provider names and conflicting engine limits", async () => {
    const text = BASE.replace('name = "phi"', 'name = "llama"\nengine = "mini"\nmax_concurrency = 1').replace(
      'model = "llama3.1:8b"',
      'model = "llama3.1:8b"\nengine = "mini"\nmax_concurrency = 2',
    );
    const error = await configError(parse(text));
    expect(issueAt(error, "providers[1].name").message).toMatch(/duplicate provider name/);
    expect(issueAt(error, "providers[1].max_concurrency").message).toMatch(/engine "mini" already has max_concurrency 1/);
  });

  it("auth = none needs allow_unauthenticated", async () => {
    const text = `${BASE.replace(/\[tenancy[\s\S]*$/, "")}[tenancy]\nauth = "none"\n`;
    expect(issueAt(await configError(parse(text)), "tenancy.auth").message).toMatch(/allow_unauthenticated = true/);
  });

  it("at most two keys per tenant, and key ids unique across tenants", async () => {
    const text = BASE.replace(
      'keys = [{ id = "vvtv-a", secret_env = "KEY_A" }]',
      'keys = [{ id = "a", secret_env = "KEY_A" }, { id = "b", secret_env = "KEY_A" }, { id = "c", secret_env = "KEY_A" }]',
    );
    expect(issueAt(await configError(parse(text)), "tenancy.tenants.vvtv.keys").message).toMatch(/at most 2 keys/);
    const shared = `${BASE}\n[tenancy.tenants.other]\nprojects = ["x"]\nkeys = [{ id = "vvtv-a", secret_env = "KEY_A" }]\n`;
    expect(issueAt(await configError(parse(shared)), "tenancy.tenants.other.keys[0].id").message).toMatch(/already used by tenant "vvtv"/);
  });

  it("R-API-7 bearer API keys: a SHA-256 in lowercase hex, at most two, ids shared with HMAC keys, one hash one key", async () => {
    const hash = "a".repeat(64);
    const withApiKeys = (keys: string) => BASE.replace('keys = [{ id = "vvtv-a", secret_env = "KEY_A" }]', `keys = [{ id = "vvtv-a", secret_env = "KEY_A" }]\napi_keys = [${keys}]`);
    const ok = await parse(withApiKeys(`{ id = "owui", sha256 = "${hash}" }`));
    expect(ok.tenancy.tenants.vvtv!.api_keys).toEqual([{ id: "owui", sha256: hash, scopes: ["infer"] }]);
    const upper = withApiKeys(`{ id = "owui", sha256 = "${"A".repeat(64)}" }`);
    expect(issueAt(await configError(parse(upper)), "tenancy.tenants.vvtv.api_keys[0].sha256").message).toMatch(/64 lowercase hex/);
    const key = (id: string, h: string) => `{ id = "${id}", sha256 = "${h}" }`;
    const three = withApiKeys([key("a", "1".repeat(64)), key("b", "2".repeat(64)), key("c", "3".repeat(64))].join(", "));
    expect(issueAt(await configError(parse(three)), "tenancy.tenants.vvtv.api_keys").message).toMatch(/at most 2 API keys/);
    const clash = withApiKeys(key("vvtv-a", hash));
    expect(issueAt(await configError(parse(clash)), "tenancy.tenants.vvtv.api_keys[0].id").message).toMatch(/already used by tenant "vvtv"/);
    const twice = withApiKeys([key("a", hash), key("b", hash)].join(", "));
    expect(issueAt(await configError(parse(twice)), "tenancy.tenants.vvtv.api_keys[1].sha256").message).toMatch(/already API key "a"/);
    const secret = withApiKeys(`{ id = "owui", key = "sk-plain" }`);
    expect(issueAt(await configError(parse(secret)), "tenancy.tenants.vvtv.api_keys[0].key").message).toMatch(/unknown key/);
  });

  it("R-API-7 the compatible doors: OpenAI on by default, Ollama off until given its own host:port", async () => {
    const defaults = await parse(BASE);
    expect(defaults.server).toMatchObject({ openai_compatible: true, ollama_listen: null, ollama: null });
    const on = await parse(BASE.replace('listen = "127.0.0.1:7070"', 'listen = "127.0.0.1:7070"\nollama_listen = "[::1]:11434"\nopenai_compatible = false'));
    expect(on.server).toMatchObject({ openai_compatible: false, ollama_listen: "[::1]:11434", ollama: { host: "::1", port: 11434 } });
    const bad = BASE.replace('listen = "127.0.0.1:7070"', 'listen = "127.0.0.1:7070"\nollama_listen = "11434"');
    expect(issueAt(await configError(parse(bad)), "server.ollama_listen").message).toMatch(/host:port/);
    const same = BASE.replace('listen = "127.0.0.1:7070"', 'listen = "127.0.0.1:7070"\nollama_listen = "0.0.0.0:7070"');
    expect(issueAt(await configError(parse(same)), "server.ollama_listen").message).toMatch(/another port/);
  });

  it("R-API-7 a tenant with only API keys is complete under auth = hmac or jwt", async () => {
    const bearerOnly = BASE.replace('keys = [{ id = "vvtv-a", secret_env = "KEY_A" }]', `api_keys = [{ id = "owui", sha256 = "${"b".repeat(64)}" }]`);
    expect((await parse(bearerOnly)).tenancy.tenants.vvtv!.keys).toEqual([]);
    const nothing = BASE.replace('keys = [{ id = "vvtv-a", secret_env = "KEY_A" }]', "");
    expect(issueAt(await configError(parse(nothing)), "tenancy.tenants.vvtv.keys").message).toMatch(/or API key/);
  });

  it("a key's scopes default to infer; metrics is an operator's scope; anything else is refused, naming the key", async () => {
    expect((await parse(BASE)).tenancy.tenants.vvtv!.keys[0]!.scopes).toEqual(["infer"]);
    const operator = BASE.replace('{ id = "vvtv-a", secret_env = "KEY_A" }', '{ id = "vvtv-a", secret_env = "KEY_A", scopes = ["metrics"] }');
    expect((await parse(operator)).tenancy.tenants.vvtv!.keys[0]!.scopes).toEqual(["metrics"]);
    const unknown = BASE.replace('{ id = "vvtv-a", secret_env = "KEY_A" }', '{ id = "vvtv-a", secret_env = "KEY_A", scopes = ["admin"] }');
    expect(issueAt(await configError(parse(unknown)), "tenancy.tenants.vvtv.keys[0].scopes[0]").message).toMatch(/infer.*metrics/);
    const none = BASE.replace('{ id = "vvtv-a", secret_env = "KEY_A" }', '{ id = "vvtv-a", secret_env = "KEY_A", scopes = [] }');
    expect(issueAt(await configError(parse(none)), "tenancy.tenants.vvtv.keys[0].scopes").message).toBeTruthy();
  });

  it("redis drivers need a URL env var", async () => {
    const text = `${BASE}\n[cache]\ndriver = "redis"\n`;
    expect(issueAt(await configError(parse(text)), "cache.redis_url_env").message).toBe('is required when driver = "redis"');
  });

  it("require_client_cert needs client_ca_file", async () => {
    const dir = tempDir();
    writeFile(dir, "cert.pem", "x");
    writeFile(dir, "key.pem", "x");
    const text = BASE.replace('listen = "127.0.0.1:7070"', 'listen = "127.0.0.1:7070"\ntls = { cert_file = "cert.pem", key_file = "key.pem", require_client_cert = true }');
    const error = await configError(parseConfig(text, { baseDir: dir, env: ENV }));
    expect(issueAt(error, "server.tls.client_ca_file").message).toBe("is required when require_client_cert = true");
  });

  it("json_schema output needs a schema file", async () => {
    const text = BASE.replace('providers = ["llama", "phi"]', 'providers = ["llama", "phi"]\noutput = "json_schema"');
    expect(issueAt(await configError(parse(text)), "tasks.site_tactics.schema_file").message).toBe(
      'is required when output = "json_schema"',
    );
  });

  it("referenced files must exist", async () => {
    const text = BASE.replace('providers = ["llama", "phi"]', 'providers = ["llama", "phi"]\nprompt_file = "../prompts/site_tactics.md"');
    const issue = issueAt(await configError(parse(text)), "tasks.site_tactics.prompt_file");
    expect(issue).toMatchObject({ kind: "file", line: lineOf(text, "prompt_file") });
    expect(issue.message).toMatch(/site_tactics\.md does not exist/);
  });
});

describe("ConfigError", () => {
  it("a missing file is one io issue", async () => {
    const error = await configError(loadConfig("/nonexistent/llm-pool.toml"));
    expect(error.format()).toBe("/nonexistent/llm-pool.toml file does not exist");
  });

  it("from() keeps a ConfigError and wraps anything else", () => {
    const original = new ConfigError("a.toml", [{ kind: "schema", path: "x", message: "m" }]);
    expect(ConfigError.from("a.toml", original)).toBe(original);
    expect(ConfigError.from("a.toml", new Error("boom")).format()).toBe("a.toml boom");
  });
});

describe("signing secrets (R-SEC-1)", () => {
  it("refuses a secret shorter than 32 bytes, naming the field and the variable but never the value", async () => {
    const error = await configError(parseConfig(BASE, { baseDir: "/tmp", env: { ...ENV, KEY_A: "short-secret" } }));
    const issue = issueAt(error, "tenancy.tenants.vvtv.keys[0].secret_env");
    expect(issue.message).toBe("environment variable KEY_A holds a secret shorter than 32 bytes");
    expect(error.format()).not.toContain("short-secret");
  });
});
