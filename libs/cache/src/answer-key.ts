import { createHash } from "node:crypto";
import type { ConfigSnapshot, ProviderConfig } from "@llm-pool/config";
import { OutputKind } from "@llm-pool/contract";
import { ensembleSettingsFrom, type MemoContext } from "@llm-pool/core";
import { sortedKeyJson } from "./sorted-key-json.js";

/** Bumped when the encoding below changes, so old entries are never read as new ones. */
export const KEY_VERSION = 1;

export interface AnswerKeyOptions {
  /** Tenants share entries (one key space); default false: every tenant has its own. */
  readonly shareAcrossTenants?: boolean;
}

type KeyInput = Pick<MemoContext, "query" | "valid" | "scope" | "config">;

/**
 * Everything that changes the answer to a query, as one plain object: what
 * the caller asked (canonical prompt and input, max_tokens, output, strategy)
 * and what the config makes of it (the task's instruction, temperature and
 * seed, which models answer, how the ensemble decides). Editing any of these
 * in the config changes the key, so stale answers are never served after a
 * reload. Deadlines, meta and the request id do not change the answer.
 */
export function answerKeyMaterial({ query, valid, scope, config }: KeyInput, options: AnswerKeyOptions = {}) {
  const task = valid.task;
  return {
    v: KEY_VERSION,
    tenant: options.shareAcrossTenants ? "*" : scope.tenant,
    task: task.name,
    // Engines see the trimmed prompt (renderPrompt), so surrounding whitespace is not part of it.
    prompt: valid.prompt.trim(),
    input: query.input ?? null,
    max_tokens: valid.maxTokens,
    output: valid.output,
    strategy: valid.strategy,
    temperature: task.temperature,
    seed: task.seed,
    instruction: task.prompt,
    providers: task.providers.map((name) => providerIdentity(config, name)),
    fallback_providers: task.fallback_providers.map((name) => providerIdentity(config, name)),
    ensemble: ensembleSettingsFrom(config, task, {
      maxParallel: config.tenancy.tenants[scope.tenant]?.max_parallel_providers,
    }),
    judge: config.judge.provider === null ? null : providerIdentity(config, config.judge.provider),
  };
}

/** The cache key: SHA-256 (hex) of the key material as sorted-key JSON. */
export function answerCacheKey(ctx: KeyInput, options: AnswerKeyOptions = {}): string {
  return sha256(sortedKeyJson(answerKeyMaterial(ctx, options)));
}

/**
 * What makes two queries "the same query" for idempotency: the caller's side
 * of the key material plus tenant and project, as the client sent it. Config
 * is left out on purpose, so a reload between a request and its retry does
 * not turn the retry into a conflict; deadline_ms and meta are left out
 * because they do not change the answer.
 */
export function queryFingerprint({ query, valid, scope }: KeyInput): string {
  const kind = query.output?.kind ?? OutputKind.UNSPECIFIED;
  return sha256(
    sortedKeyJson({
      v: KEY_VERSION,
      tenant: scope.tenant,
      project: scope.project,
      task: query.task,
      strategy: query.strategy,
      prompt: query.prompt,
      input: query.input ?? null,
      max_tokens: query.maxTokens,
      output: { kind, schema: kind === OutputKind.JSON_SCHEMA && valid.output.kind === "json_schema" ? valid.output.schema : null },
    }),
  );
}

/** Where a client request_id is kept: one key space per tenant, so tenants never see each other's ids. */
export function idempotencyKey(tenant: string, requestId: string): string {
  return sha256(sortedKeyJson([tenant, requestId]));
}

function providerIdentity(config: ConfigSnapshot, name: string) {
  const provider = config.providers.find((p) => p.name === name);
  return provider ? { name, ...answerShaping(provider) } : { name };
}

/** The provider fields that change what the engine writes (not where it runs or how long it may take). */
function answerShaping(provider: ProviderConfig): Record<string, unknown> {
  switch (provider.driver) {
    case "embedded":
      return {
        driver: provider.driver,
        model: provider.model,
        model_path: provider.model_path,
        repeat_penalty: provider.repeat_penalty,
        context_size: provider.context_size,
      };
    case "http":
      return { driver: provider.driver, model: provider.model, path: provider.path, body_template: provider.body_template, text_path: provider.text_path };
    case "openai":
      return { driver: provider.driver, model: provider.model, endpoint: provider.endpoint };
    case "ollama":
      return { driver: provider.driver, model: provider.model };
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
