/** With `stream: false` Ollama sends one object, and it must be the final one. */
export function notDone(body: unknown): string | undefined {
  const done = body !== null && typeof body === "object" ? (body as { done?: unknown }).done : undefined;
  return done === true ? undefined : "the engine's answer is not marked done";
}
