import type { HttpProviderConfig } from "@llm-pool/config";
import type { ProviderEnv } from "../driver.js";

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * The request headers with every `${ENV}` reference resolved, once, at driver
 * construction. `api_key_env` becomes a bearer Authorization header unless the
 * config writes its own. Throws naming the variable (never a value) when one is unset.
 */
export function resolveHeaders(config: HttpProviderConfig, env: ProviderEnv): Record<string, string> {
  const read = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === "") throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(config.headers)) {
    headers[name.toLowerCase()] = template.replace(ENV_REFERENCE, (_, variable: string) => read(variable));
  }
  if (config.api_key_env !== null && headers["authorization"] === undefined) {
    headers["authorization"] = `Bearer ${read(config.api_key_env)}`;
  }
  return headers;
}
