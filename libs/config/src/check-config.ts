import { ConfigError } from "./config-error.js";
import { loadConfig, type LoadConfigOptions } from "./load-config.js";

export interface CheckConfigResult {
  readonly ok: boolean;
  /** What `llm-pool check-config FILE` prints on stdout: a summary, or one line per problem. */
  readonly output: string;
}

/** The body of `llm-pool check-config FILE`; the CLI prints `output` and exits 1 unless `ok`. */
export async function checkConfig(path: string, options: LoadConfigOptions = {}): Promise<CheckConfigResult> {
  try {
    const snapshot = await loadConfig(path, options);
    const tasks = Object.values(snapshot.tasks);
    const enabled = tasks.filter((task) => task.enabled).length;
    const tenants = Object.keys(snapshot.tenancy.tenants).length;
    const summary = [
      `${snapshot.providers.length} provider${snapshot.providers.length === 1 ? "" : "s"}`,
      `${snapshot.engines.length} engine${snapshot.engines.length === 1 ? "" : "s"}`,
      `${enabled} of ${tasks.length} tasks enabled`,
      `${tenants} tenant${tenants === 1 ? "" : "s"}`,
      `auth ${snapshot.tenancy.auth}`,
    ].join(", ");
    return { ok: true, output: `${path}: OK, version ${snapshot.version} (${summary})` };
  } catch (error) {
    const configError = ConfigError.from(path, error);
    const count = configError.issues.length;
    return { ok: false, output: `${configError.format()}\n${path}: ${count} problem${count === 1 ? "" : "s"}` };
  }
}
