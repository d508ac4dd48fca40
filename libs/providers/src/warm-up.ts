import type { ProviderLogger } from "./driver.js";
import type { PooledProvider } from "./pooled-provider.js";
import { ProviderError } from "./provider-error.js";

export interface WarmUpResult {
  readonly provider: string;
  readonly ok: boolean;
  /** The ProviderError's short message when the warm-up failed. */
  readonly error?: string;
}

/**
 * Warms providers (R-PRV-6): engines in parallel, the providers of one engine
 * one after another, so one Mac mini never loads all its models at once. A
 * failure is logged and reported, never thrown: the pool starts anyway and
 * health keeps the provider out until it answers.
 */
export async function warmUpProviders(
  providers: readonly PooledProvider[],
  logger: ProviderLogger,
  signal: AbortSignal,
): Promise<WarmUpResult[]> {
  const byEngine = new Map<string, PooledProvider[]>();
  for (const provider of providers) byEngine.set(provider.engine, [...(byEngine.get(provider.engine) ?? []), provider]);
  const perEngine = await Promise.all(
    [...byEngine.values()].map(async (engineProviders) => {
      const results: WarmUpResult[] = [];
      for (const provider of engineProviders) results.push(await warmUpOne(provider, logger, signal));
      return results;
    }),
  );
  const byName = new Map(perEngine.flat().map((result) => [result.provider, result]));
  return providers.map((provider) => byName.get(provider.name)!);
}

async function warmUpOne(provider: PooledProvider, logger: ProviderLogger, signal: AbortSignal): Promise<WarmUpResult> {
  try {
    await provider.warmUp(signal);
    logger.info({ provider: provider.name, model: provider.model }, "provider warmed up");
    return { provider: provider.name, ok: true };
  } catch (reason) {
    const error = ProviderError.from(reason, provider.name, signal);
    logger.warn({ provider: provider.name, kind: error.kind, error: error.message }, "provider warm-up failed");
    return { provider: provider.name, ok: false, error: error.message };
  }
}
