import { pino, type DestinationStream, type Logger } from "pino";

/** One line per request (R-OBS-2). No prompt text unless configured. */
export interface RequestLogRecord {
  readonly request_id: string;
  readonly tenant: string;
  readonly project: string;
  readonly task: string;
  readonly strategy: string;
  readonly winner_model: string;
  readonly duration_ms: number;
  readonly from_cache: boolean;
  /** "ok" or the error's machine code. */
  readonly outcome: string;
  /** How the call came in: "native", "openai" or "ollama" ("unknown" when no edge said). */
  readonly api: string;
  /** "grpc", "grpc_web", "connect" or "http" ("unknown" when no edge said). */
  readonly transport: string;
  /** "unary", or "stream" when the client asked for the answer streamed. */
  readonly mode: "unary" | "stream";
  /** A streamed call only: from arrival to the first text sent, in ms. */
  readonly first_token_ms?: number;
  readonly error?: string;
  readonly prompt?: string;
}

export interface LoggerOptions {
  readonly level?: string;
  /** Where lines go; defaults to an asynchronous stdout writer. */
  readonly destination?: DestinationStream;
}

/**
 * Lines gather in memory up to this many bytes (about ten request lines) before one write: under a steady
 * trickle of requests each line would otherwise be a write of its own, handed to libuv's thread pool, which on a
 * one-core pool costs more than building the line.
 */
const LOG_BATCH_BYTES = 4096;
/** Gathered lines are written at least this often, so a quiet pool's last lines are out within it. */
const LOG_FLUSH_MS = 50;

/**
 * Builds the pool's logger. Lines are buffered and written asynchronously
 * (sonic-boom with sync:false), in batches of LOG_BATCH_BYTES or every
 * LOG_FLUSH_MS, so logging stays off the request's hot path; call
 * `logger.flush()` before the process exits (pino also writes what is left
 * when the process exits).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination =
    options.destination ?? pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS });
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "llm-pool" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export function logRequest(logger: Logger, record: RequestLogRecord): void {
  const level = record.outcome === "ok" ? "info" : record.outcome === "internal" ? "error" : "warn";
  logger[level](record, "infer");
}

export type { Logger };
