import { Code } from "./code.js";
import { PoolError } from "./pool-error.js";

/** Why one configured provider of a task cannot be called now. */
export interface ProviderUnavailability {
  readonly provider: string;
  /** Short and safe to show: "unhealthy: cannot reach the engine (ECONNREFUSED)", "driver could not be built: ...". */
  readonly reason: string;
}

/**
 * A task none of whose providers can be called now (R-API-4): 503
 * unavailable, with why each provider is out in the message and, for logs and
 * callers that want it structured, in `providers`.
 */
export class NoProviderError extends PoolError {
  readonly providers: readonly ProviderUnavailability[];

  constructor(task: string, providers: readonly ProviderUnavailability[]) {
    const why = providers.map((p) => `${p.provider}: ${p.reason}`).join("; ");
    super(Code.Unavailable, `no provider is available for task ${task}${why ? `: ${why}` : ""}`);
    this.providers = providers;
  }
}
