/** The headers a refusal carries for its response (a limit's Retry-After and RateLimit fields); {} for other errors. */
export function refusalHeaders(reason: unknown): Readonly<Record<string, string>> {
  const headers = typeof reason === "object" && reason !== null ? (reason as { headers?: unknown }).headers : undefined;
  return typeof headers === "object" && headers !== null ? (headers as Record<string, string>) : {};
}
