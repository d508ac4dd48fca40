export interface SseEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/** Server-sent events of a whole body, as the pool writes them: `event:` and one `data:` line each. */
export function sseEvents(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const fields = Object.fromEntries(block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]));
      return { event: fields["event"]!, data: JSON.parse(fields["data"]!) as Record<string, unknown> };
    });
}
