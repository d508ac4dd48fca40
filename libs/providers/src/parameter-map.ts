import type { ProviderRequest } from "@llm-pool/core";

/**
 * A driver's request body, declared field by field: each key is a dotted place
 * in the wire body ("options.num_predict"), each value says where its value
 * comes from. A rule that yields undefined leaves the field out.
 */
export type ParameterMap<Config> = Readonly<Record<string, (request: ProviderRequest, config: Config) => unknown>>;

/** Builds the wire body a map declares. */
export function buildBody<Config>(map: ParameterMap<Config>, request: ProviderRequest, config: Config): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [place, rule] of Object.entries(map)) {
    const value = rule(request, config);
    if (value !== undefined) setPlace(body, place.split("."), value);
  }
  return body;
}

function setPlace(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  const [key, ...rest] = keys;
  if (key === undefined) return;
  if (rest.length === 0) {
    target[key] = value;
    return;
  }
  const child = (target[key] ??= {}) as Record<string, unknown>;
  setPlace(child, rest, value);
}
