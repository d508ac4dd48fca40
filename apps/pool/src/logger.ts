/**
 * The little the edges log: internal errors with their cause, and transport
 * failures. Shaped like pino's `(fields, message)` so the composition root
 * can pass its request logger as is.
 */
export interface EdgeLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: EdgeLogger = {
  error() {},
  warn() {},
};
