/** With `stream: false` Ollama sends one object, and it must be the final one. */
export function notDone(body: unknown): string | undefined {
  const done = body !== null && typeof body === "object" ? (body as { done?: unknown }).done : undefined;
  return done === true ? undefined : "the engine's answer is not marked done";
}

/** A streamed Ollama answer is complete at the object marked done (it carries the usage). */
export function isDone(frame: unknown): boolean {
  return frame !== null && typeof frame === "object" && (frame as { done?: unknown }).done === true;
}
