import type { ConfigSnapshot, TaskConfig } from "@llm-pool/config";
import type { ProviderUnavailability } from "./no-provider-error.js";
import type { Provider } from "./provider.js";

export type ProviderStateName = "unknown" | "healthy" | "degraded" | "unhealthy";

export interface ProviderHealthRecord {
  readonly name: string;
  readonly driver: string;
  readonly model: string;
  readonly state: ProviderStateName;
  readonly lastError: string;
  /** Clock ms of the last change; 0 when never probed. */
  readonly updatedAt: number;
}

/**
 * ProviderPool is the live set of providers for a config snapshot, as the
 * orchestrator sees it: the callable providers of a task, one by name, and
 * their health. The composition root builds it (libs/providers'
 * LiveProviderPool) from the drivers it knows; core never imports a driver.
 */
export interface ProviderPool {
  /** Callable providers for the task, in the task's hedge order. */
  forTask(config: ConfigSnapshot, task: TaskConfig): readonly Provider[];
  /** Every configured provider's health, in config order. */
  health(config: ConfigSnapshot): readonly ProviderHealthRecord[];
  /** One provider by its config name (e.g. the judge), or undefined when it is missing or unhealthy. */
  named(config: ConfigSnapshot, name: string): Provider | undefined;
  /** Why each of the task's providers is left out by `forTask`, for the error that says none is available. */
  unavailable?(config: ConfigSnapshot, task: TaskConfig): readonly ProviderUnavailability[];
}
