/** What the guard needs of a logger. */
export interface StrayErrorLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * The serving process's last line of defence. Node ends the process on a
 * rejected promise nobody handles and on a throw nothing catches (a timer or
 * socket callback), taking every request in flight and every other tenant
 * with it. The CLI installs this so such an error is logged and the pool keeps
 * serving. It is not how errors are meant to be handled — each one it logs is
 * a bug to fix where it was thrown — only what keeps one from being an outage.
 * Returns the uninstaller.
 */
export function keepServingOnStrayErrors(logger: StrayErrorLogger, target: NodeJS.Process = process): () => void {
  const onRejection = (reason: unknown) => logger.error({ err: reason, kind: "unhandled_rejection" }, "unhandled promise rejection; still serving");
  const onException = (error: Error) => logger.error({ err: error, kind: "uncaught_exception" }, "uncaught exception; still serving");
  target.on("unhandledRejection", onRejection);
  target.on("uncaughtException", onException);
  return () => {
    target.off("unhandledRejection", onRejection);
    target.off("uncaughtException", onException);
  };
}
