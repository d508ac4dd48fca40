import type { OllamaModelEntry, OllamaModelList } from "./api.js";

/** Ollama names an untagged model `name:latest`. */
export function canonicalModel(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? name : `${name}:latest`;
}

/** `model`'s entry in a /api/tags or /api/ps body: null when it is not listed, undefined when the body is not a model list. */
function findModel(body: unknown, model: string): Partial<OllamaModelEntry> | null | undefined {
  const models = body !== null && typeof body === "object" ? (body as Partial<OllamaModelList>).models : undefined;
  if (!Array.isArray(models)) return undefined;
  const wanted = canonicalModel(model);
  const found = models.find(
    (entry: unknown) =>
      entry !== null &&
      typeof entry === "object" &&
      [(entry as { name?: unknown }).name, (entry as { model?: unknown }).model].some(
        (name) => typeof name === "string" && canonicalModel(name) === wanted,
      ),
  ) as Partial<OllamaModelEntry> | undefined;
  return found ?? null;
}

/** Whether a /api/tags (or /api/ps) body lists `model`; undefined when the body is not a model list. */
export function listsModel(body: unknown, model: string): boolean | undefined {
  const found = findModel(body, model);
  return found === undefined ? undefined : found !== null;
}

/**
 * Until when a /api/ps body says `model` stays loaded, in epoch ms: its `expires_at`, -Infinity
 * when it is not listed, Infinity when listed without a readable expiry; undefined when the body
 * is not a model list. keep_alive "-1" shows as a date centuries away. A model still loading is
 * listed too: the mock engine gives it an expiry already past (so it reads as not resident yet),
 * Ollama one in the future, which is why the driver's own loads mask the report (ResidencyView).
 */
export function residentUntil(body: unknown, model: string): number | undefined {
  const found = findModel(body, model);
  if (found === undefined) return undefined;
  if (found === null) return -Infinity;
  const at = typeof found.expires_at === "string" ? Date.parse(found.expires_at) : Number.NaN;
  return Number.isNaN(at) ? Infinity : at;
}
