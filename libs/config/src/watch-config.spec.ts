import { renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configError, lineOf, MINIMAL, nextValue, removeTempDirs, tempDir, writeFile } from "@llm-pool/config/test-support";
import { afterEach, describe, expect, it } from "vitest";
import type { ConfigError } from "./config-error.js";
import type { ConfigSnapshot } from "./snapshot.js";
import { watchConfig, type ConfigWatcher, type ReloadEvent } from "./watch-config.js";

const watchers: ConfigWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.close()));
  removeTempDirs();
});

const withDeadline = (ms: number) => MINIMAL.replace("[tenancy]", `[qos]\ndefault_deadline_ms = ${ms}\n\n[tenancy]`);

/** A watched config in a fresh directory, with every callback turned into an awaitable queue. */
async function setup(text = MINIMAL) {
  const dir = tempDir();
  const path = writeFile(dir, "llm-pool.toml", text);
  const reloads = nextValue<ConfigSnapshot>();
  const errors = nextValue<ConfigError>();
  const events = nextValue<ReloadEvent>();
  const removals = nextValue<string>();
  let now = 1_000;
  const watcher = await watchConfig(path, {
    env: {},
    debounceMs: 30,
    clock: { now: () => now++ },
    onReload: (snapshot) => reloads.push(snapshot),
    onError: (error) => errors.push(error),
    observer: { observeReload: (event) => events.push(event) },
    logger: { info() {}, error() {}, warn: (fields) => removals.push(String(fields["file"])) },
  });
  watchers.push(watcher);
  return { dir, path, watcher, reloads, errors, events, removals };
}

describe("R-CFG-2: hot reload", () => {
  it("applies a valid edit and reports success", async () => {
    const { path, watcher, reloads, events } = await setup();
    const before = watcher.current();
    expect(before.qos.default_deadline_ms).toBe(1200);

    writeFileSync(path, withDeadline(900));
    const after = await reloads.next();
    expect(after.qos.default_deadline_ms).toBe(900);
    expect(watcher.current()).toBe(after);
    expect(after.version).not.toBe(before.version);
    expect(await events.next()).toEqual({
      result: "success",
      at: 1000,
      version: after.version,
      previous_version: before.version,
      restart_pending: [],
    });
  });

  it("R-CFG-2: a change to a field read only at start is kept and named, on every reload, until a restart; reverting it clears the warning", async () => {
    const dir = tempDir();
    const path = writeFile(dir, "llm-pool.toml", MINIMAL);
    const reloads = nextValue<ConfigSnapshot>();
    const events = nextValue<ReloadEvent>();
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const watcher = await watchConfig(path, {
      env: {},
      debounceMs: 30,
      onReload: (snapshot) => reloads.push(snapshot),
      observer: { observeReload: (event) => events.push(event) },
      logger: { info() {}, error() {}, warn: (fields, message) => warnings.push({ fields, message }) },
    });
    watchers.push(watcher);
    const restartOnly = `[server]\nmax_in_flight = 64\n\n[cache]\nmax_entries = 50\n\n[redis]\ncommand_timeout_ms = 900\n\n${MINIMAL}`;

    writeFileSync(path, restartOnly);
    expect((await reloads.next()).server.max_in_flight).toBe(64);
    const pending = ["server.max_in_flight", "cache.max_entries", "redis.command_timeout_ms"];
    expect(await events.next()).toMatchObject({ result: "success", restart_pending: pending });
    expect(warnings).toEqual([
      {
        fields: { version: watcher.current().version, fields: pending },
        message: "config reloaded, but these fields apply after a restart: server.max_in_flight, cache.max_entries, redis.command_timeout_ms",
      },
    ]);

    // A later reload of a reloadable field still names what waits: the process runs on the values it started with.
    writeFileSync(path, restartOnly.replace("[tenancy]", "[qos]\ndefault_deadline_ms = 900\n\n[tenancy]"));
    await reloads.next();
    expect(await events.next()).toMatchObject({ restart_pending: pending });
    expect(warnings).toHaveLength(2);

    writeFileSync(path, withDeadline(900));
    await reloads.next();
    expect(await events.next()).toMatchObject({ restart_pending: [] });
    expect(warnings).toHaveLength(2);
  });

  it("leaves a snapshot taken before the swap untouched (in-flight requests keep theirs)", async () => {
    const { path, watcher, reloads } = await setup();
    const held = watcher.current();
    writeFileSync(path, withDeadline(900));
    await reloads.next();
    expect(held.qos.default_deadline_ms).toBe(1200);
    expect(Object.isFrozen(held)).toBe(true);
  });

  it("rejects an invalid edit, keeps the old snapshot and reports the field and line", async () => {
    const { path, watcher, errors, events, reloads } = await setup();
    const before = watcher.current();
    const bad = MINIMAL.replace('base_url = "http://127.0.0.1:11434"', 'base_url = "127.0.0.1:11434"');
    writeFileSync(path, bad);

    const error = await errors.next();
    expect(error.issues).toEqual([
      { kind: "schema", path: "providers[0].base_url", message: "must be an http(s) URL", line: lineOf(bad, "base_url"), column: 1 },
    ]);
    expect(error.format()).toContain(`llm-pool.toml:${lineOf(bad, "base_url")}:1 providers[0].base_url: must be an http(s) URL`);
    expect(watcher.current()).toBe(before);
    expect(await events.next()).toMatchObject({ result: "failure", kept_version: before.version });

    // Fixing the file back to the very same bytes still counts as a successful reload.
    writeFileSync(path, MINIMAL);
    expect((await reloads.next()).version).toBe(before.version);
    expect(await events.next()).toMatchObject({ result: "success" });
  });

  it("picks up an editor-style atomic save (write a temp file, rename it over)", async () => {
    const { dir, path, reloads } = await setup();
    const temp = join(dir, "llm-pool.toml.tmp");
    writeFileSync(temp, withDeadline(800));
    renameSync(temp, path);
    expect((await reloads.next()).qos.default_deadline_ms).toBe(800);

    // And a second one: the watch must survive the inode it started on being replaced.
    writeFileSync(temp, withDeadline(700));
    renameSync(temp, path);
    expect((await reloads.next()).qos.default_deadline_ms).toBe(700);
  });

  it("picks up a file that is deleted and then recreated", async () => {
    const { path, watcher, reloads, removals } = await setup();
    const before = watcher.current();
    unlinkSync(path);
    expect(await removals.next()).toBe(path);
    expect(watcher.current()).toBe(before);

    writeFileSync(path, withDeadline(600));
    expect((await reloads.next()).qos.default_deadline_ms).toBe(600);
  });

  it("picks up a file that is deleted and recreated at once", async () => {
    const { path, reloads } = await setup();
    unlinkSync(path);
    writeFileSync(path, withDeadline(650));
    expect((await reloads.next()).qos.default_deadline_ms).toBe(650);
  });

  it("reloads when a referenced prompt file changes", async () => {
    const dir = tempDir();
    writeFile(dir, "judge.md", "first");
    const path = writeFile(dir, "llm-pool.toml", `${MINIMAL}\n[tasks.judge]\nprompt_file = "judge.md"\n`);
    const reloads = nextValue<ConfigSnapshot>();
    const watcher = await watchConfig(path, { env: {}, debounceMs: 30, onReload: (s) => reloads.push(s) });
    watchers.push(watcher);
    expect(watcher.current().tasks.judge.prompt).toBe("first");

    writeFileSync(join(dir, "judge.md"), "second");
    expect((await reloads.next()).tasks.judge.prompt).toBe("second");
  });

  it("reload() applies the file at once", async () => {
    const { path, watcher, reloads } = await setup();
    writeFileSync(path, withDeadline(500));
    await watcher.reload();
    expect(watcher.current().qos.default_deadline_ms).toBe(500);
    expect((await reloads.next()).qos.default_deadline_ms).toBe(500);
  });

  it("refuses to start on an invalid file", async () => {
    const path = writeFile(tempDir(), "llm-pool.toml", "[server\n");
    const error = await configError(watchConfig(path, { env: {} }));
    expect(error.issues[0]).toMatchObject({ kind: "syntax", line: 1 });
  });

  it("survives a callback that throws", async () => {
    const dir = tempDir();
    const path = writeFile(dir, "llm-pool.toml", MINIMAL);
    const logged = nextValue<string>();
    const watcher = await watchConfig(path, {
      env: {},
      debounceMs: 30,
      onReload: () => {
        throw new Error("listener bug");
      },
      logger: { info() {}, warn() {}, error: (_fields, message) => logged.push(message) },
    });
    watchers.push(watcher);
    writeFileSync(path, withDeadline(900));
    expect(await logged.next()).toBe("config reload callback threw");
    expect(watcher.current().qos.default_deadline_ms).toBe(900);
  });
});
