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
 * ProviderSource hands the orchestrator the providers of a config snapshot.
 * The composition root builds it from the drivers it knows; core never
 * imports a driver.
 */
export interface ProviderSource {
  /** Callable providers for the task, in the task's hedge order. */
  forTask(config: ConfigSnapshot, task: TaskConfig): readonly Provider[];
  /** Every configured provider's health, in config order. */
  health(config: ConfigSnapshot): readonly ProviderHealthRecord[];
  /** One provider by its config name (e.g. the judge), or undefined when it is missing or unhealthy. */
  named(config: ConfigSnapshot, name: string): Provider | undefined;
  /** Why each of the task's providers is left out by `forTask`, for the error that says none is available. */
  unavailable?(config: ConfigSnapshot, task: TaskConfig): readonly ProviderUnavailability[];
}
