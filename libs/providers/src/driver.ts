import type { ProviderConfig, ProviderDriver } from "@llm-pool/config";
import type { Clock, Provider, ProviderRequest, ProviderResult, TextSink } from "@llm-pool/core";
import type { EngineHttp } from "./engine-http.js";

/** The environment drivers read secrets from (`api_key_env`, `${ENV}` in headers); injected, never process.env directly. */
export type ProviderEnv = Readonly<Record<string, string | undefined>>;

/** The subset of a pino logger the providers use. Fields never carry prompts or secrets. */
export interface ProviderLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: ProviderLogger = { debug() {}, info() {}, warn() {} };

/** What every driver is built with. */
export interface DriverContext {
  readonly env: ProviderEnv;
  /** The engines' HTTP client (a keep-alive pool per engine), shared by every driver of the provider set. */
  readonly http: EngineHttp;
  readonly clock: Clock;
  readonly logger: ProviderLogger;
}

/**
 * A request as the engine queue and the http driver's `{{deadline_ms}}` see it:
 * the core request plus, when the caller knows it, the clock time its deadline
 * falls at.
 */
export interface DeadlineAwareRequest extends ProviderRequest {
  readonly deadlineAt?: number;
}

/**
 * A Driver is how the pool talks to one kind of engine (`driver = "ollama"`,
 * "openai", "http", "embedded"); one is built per provider from its config.
 * The ProviderSet wraps it in a PooledProvider (the engine's slot queue, the
 * provider's timeout and health reporting), so a driver only speaks to its
 * engine. Every method honours its signal.
 */
export interface Driver extends Provider {
  /**
   * The engine's streaming form of `infer` (Ollama NDJSON, OpenAI server-sent events, llama.cpp
   * chunks): text pieces to `onText` as they come, then the whole result (R-API-6). A driver
   * whose engine cannot stream answers whole and hands the text over as one piece.
   */
  inferStream(request: DeadlineAwareRequest, signal: AbortSignal, onText: TextSink): Promise<ProviderResult>;
  /** The active health check (R-PRV-5); resolves when the engine can serve this provider's model. */
  probe(signal: AbortSignal): Promise<void>;
  /** Loads the model so the first real call does not pay for it (R-PRV-6). */
  warmUp(signal: AbortSignal): Promise<void>;
  /** Releases what the driver holds (an embedded model); called once, after in-flight calls ended. */
  close(): Promise<void>;
}

export type DriverFactory<Config extends ProviderConfig = ProviderConfig> = (config: Config, context: DriverContext) => Driver;

/** The drivers by engine kind: one factory per `driver = "..."` value of the config. */
export type DriversByKind = { readonly [K in ProviderDriver]: DriverFactory<Extract<ProviderConfig, { driver: K }>> };
