import type { OllamaModelList } from "./api.js";

/** Ollama names an untagged model `name:latest`. */
export function canonicalModel(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? name : `${name}:latest`;
}

/** Whether a /api/tags (or /api/ps) body lists `model`; undefined when the body is not a model list. */
export function listsModel(body: unknown, model: string): boolean | undefined {
  const models = body !== null && typeof body === "object" ? (body as Partial<OllamaModelList>).models : undefined;
  if (!Array.isArray(models)) return undefined;
  const wanted = canonicalModel(model);
  return models.some(
    (entry: unknown) =>
      entry !== null &&
      typeof entry === "object" &&
      [(entry as { name?: unknown }).name, (entry as { model?: unknown }).model].some(
        (name) => typeof name === "string" && canonicalModel(name) === wanted,
      ),
  );
}
