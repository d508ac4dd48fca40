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
 * Builds the pool's logger. Lines are buffered and written asynchronously
 * (sonic-boom with sync:false), so logging stays off the request's hot path;
 * call `logger.flush()` before the process exits.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
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
  logger[level]({ ...record, msg: "infer" });
}

export type { Logger };
