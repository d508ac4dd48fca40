import type { Clock } from "@llm-pool/core";
import { createProviderSource, type ProviderRuntime } from "@llm-pool/providers";
import type { Logger } from "@llm-pool/telemetry";

/** The real drivers (Ollama, OpenAI-compatible, HTTP, embedded) behind the pool. */
export function createProviders(deps: { env: NodeJS.ProcessEnv; clock: Clock; logger: Logger }): ProviderRuntime {
  return createProviderSource({ env: deps.env, clock: deps.clock, logger: deps.logger });
}
