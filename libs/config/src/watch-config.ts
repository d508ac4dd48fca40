import { dirname, resolve } from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { ConfigError } from "./config-error.js";
import type { ConfigEnv } from "./env-references.js";
import { loadConfig } from "./load-config.js";
import { restartOnlyChanges, type ConfigFieldPath } from "./restart-only.js";
import type { ConfigSnapshot } from "./snapshot.js";

/** Wall-clock time in ms since the epoch; injected so reload timestamps are testable. */
export interface ConfigClock {
  now(): number;
}

/** The subset of a pino logger the watcher uses. */
export interface ConfigLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export type ReloadEvent =
  | {
      readonly result: "success";
      readonly at: number;
      readonly version: string;
      readonly previous_version: string;
      /** Restart-only fields that differ from the config the process started with: they wait for a restart. */
      readonly restart_pending: readonly ConfigFieldPath[];
    }
  | { readonly result: "failure"; readonly at: number; readonly error: ConfigError; readonly kept_version: string };

/**
 * Receives the outcome of every reload attempt. The server maps it to
 * `llmpool_config_reload_total{result}` and `llmpool_config_last_reload_success`; this package
 * stays free of any metrics library.
 */
export interface ReloadObserver {
  observeReload(event: ReloadEvent): void;
}

export interface WatchConfigOptions {
  /** A new snapshot is in place; `previous` is the one it replaced. */
  onReload?(snapshot: ConfigSnapshot, previous: ConfigSnapshot): void;
  /** A changed file was rejected; the previous snapshot stays current. */
  onError?(error: ConfigError): void;
  observer?: ReloadObserver;
  logger?: ConfigLogger;
  clock?: ConfigClock;
  env?: ConfigEnv;
  /** Quiet period after the last file event before reloading (default 150 ms). */
  debounceMs?: number;
  /** A snapshot already loaded from `path` (e.g. by the composition root); skips the first load. */
  initial?: ConfigSnapshot;
}

export interface ConfigWatcher {
  /** The snapshot to use now. A request takes it once and keeps it to the end. */
  current(): ConfigSnapshot;
  /** Reloads at once (e.g. on SIGHUP), with the same outcome reporting as a file change. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_DEBOUNCE_MS = 150;
const systemClock: ConfigClock = { now: () => Date.now() };
const silentLogger: ConfigLogger = { info() {}, warn() {}, error() {} };

/**
 * Loads `path`, then watches it — and the prompt and schema files it references — and swaps in a
 * new snapshot when a change validates. An invalid change is reported and the old snapshot stays.
 * A valid change to a field the process reads only at start (RESTART_ONLY_FIELDS) is kept and
 * named in a warning on every reload until the process restarts with it.
 *
 * The watch is on the directories, not the files: editors that save by writing a temp file and
 * renaming it over the original, or by deleting and recreating it, replace the inode a file watch
 * would be attached to. Rejects with a ConfigError when the first load fails.
 */
export async function watchConfig(path: string, options: WatchConfigOptions = {}): Promise<ConfigWatcher> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const loadOptions = options.env === undefined ? {} : { env: options.env };

  let snapshot = options.initial ?? (await loadConfig(path, loadOptions));
  // What the process was built from: restart-only fields keep these values until the next start.
  const started = snapshot;
  let lastAttemptFailed = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const files = new Set<string>();
  const dirs = new Set<string>();
  trackFiles(snapshot);

  const watcher: FSWatcher = watch([...dirs], {
    ignoreInitial: true,
    depth: 0,
    atomic: true,
    // Hold events until the file size is stable, so a file written in several chunks is read whole.
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 20 },
    ignored: (candidate: string) => !dirs.has(normalise(candidate)) && !files.has(normalise(candidate)),
  });
  watcher.on("add", schedule);
  watcher.on("change", schedule);
  watcher.on("unlink", (file: string) => {
    // Deleting is half of "delete and recreate"; wait for the file to come back instead of failing.
    clearTimeout(timer);
    logger.warn({ file, version: snapshot.version }, "config file removed; keeping the current config until it is back");
  });
  watcher.on("error", (error: unknown) => {
    logger.error({ err: error }, "config watcher error");
  });
  await new Promise<void>((ready) => watcher.once("ready", () => ready()));

  /** Adds the files `next` depends on to the watched set; returns paths chokidar must start watching. */
  function trackFiles(next: ConfigSnapshot): string[] {
    const wanted = [resolve(path)];
    for (const task of Object.values(next.tasks)) {
      if (task.prompt_file !== null) wanted.push(task.prompt_file);
      if (task.schema_file !== null) wanted.push(task.schema_file);
    }
    const added: string[] = [];
    for (const file of wanted.map(normalise)) {
      if (files.has(file)) continue;
      files.add(file);
      const dir = normalise(dirname(file));
      if (!dirs.has(dir)) {
        dirs.add(dir);
        added.push(dir);
      } else {
        // The directory is watched, but this file was filtered out when it was scanned.
        added.push(file);
      }
    }
    return added;
  }

  function schedule(): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void reload();
    }, debounceMs);
  }

  /** One reload at a time; events during a reload cause exactly one more. */
  function reload(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await attempt();
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  async function attempt(): Promise<void> {
    const at = clock.now();
    let next: ConfigSnapshot;
    try {
      next = await loadConfig(path, loadOptions);
    } catch (reason) {
      if (closed) return;
      const error = ConfigError.from(path, reason);
      lastAttemptFailed = true;
      logger.error(
        { version: snapshot.version, problems: error.issues },
        `config reload rejected, keeping version ${snapshot.version}:\n${error.format()}`,
      );
      notify(() => options.observer?.observeReload({ result: "failure", at, error, kept_version: snapshot.version }));
      notify(() => options.onError?.(error));
      return;
    }
    if (closed) return;
    // Editors often emit several events per save; an identical file is not a new config.
    if (!lastAttemptFailed && sameContent(next, snapshot)) return;

    const previous = snapshot;
    snapshot = next;
    lastAttemptFailed = false;
    const added = trackFiles(next);
    if (added.length > 0) watcher.add(added);
    logger.info({ version: next.version, previous_version: previous.version }, "config reloaded");
    const pending = restartOnlyChanges(started, next);
    if (pending.length > 0) {
      logger.warn({ version: next.version, fields: pending }, `config reloaded, but these fields apply after a restart: ${pending.join(", ")}`);
    }
    notify(() =>
      options.observer?.observeReload({
        result: "success",
        at,
        version: next.version,
        previous_version: previous.version,
        restart_pending: pending,
      }),
    );
    notify(() => options.onReload?.(next, previous));
  }

  /** A throwing callback must not stop the watcher or hide the next reload. */
  function notify(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      logger.error({ err: error }, "config reload callback threw");
    }
  }

  return {
    current: () => snapshot,
    reload,
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}

function normalise(file: string): string {
  return resolve(file).replaceAll("\\", "/");
}

/** Same config bytes and same prompt and schema texts. */
function sameContent(a: ConfigSnapshot, b: ConfigSnapshot): boolean {
  if (a.version !== b.version) return false;
  return Object.values(a.tasks).every((task) => {
    const other = b.tasks[task.name];
    return task.prompt === other.prompt && JSON.stringify(task.schema) === JSON.stringify(other.schema);
  });
}
