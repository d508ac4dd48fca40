import type { Redis } from "ioredis";

/** What the probe needs of a clock (core's Clock fits). */
export interface ProbeTimer {
  setTimer(ms: number, fn: () => void): () => void;
}

export interface RedisProbeOptions {
  readonly timer: ProbeTimer;
  /** How often to PING; default 1000 ms. */
  readonly intervalMs?: number;
}

/** Whether a Redis the pool depends on answers now, for readiness. */
export interface RedisProbe {
  /** Why Redis counts as down now (the last PING failed or the client is not connected); undefined when up. */
  down(): string | undefined;
  close(): void;
}

/**
 * PINGs `redis` every `intervalMs` with the client's own command timeout, so
 * readiness sees a frozen Redis (whose connection stays open and whose
 * client still says "ready") within one interval plus that timeout, without
 * waiting for a request to hit it. A closed connection counts as down at once.
 */
export function probeRedis(redis: Redis, options: RedisProbeOptions): RedisProbe {
  const intervalMs = options.intervalMs ?? 1_000;
  let failure: string | undefined;
  let inFlight = false;
  let closed = false;
  let cancel = () => {};
  const schedule = () => {
    if (!closed) cancel = options.timer.setTimer(intervalMs, ping);
  };
  // A failure seen before (re)connecting says nothing about the connection that is now up.
  const onReady = () => void (failure = undefined);
  redis.on("ready", onReady);
  function ping(): void {
    // Not connected: down() says so from the client's status, without a command.
    if (inFlight || redis.status !== "ready") return schedule();
    inFlight = true;
    redis.ping().then(
      () => void (failure = undefined),
      (error: unknown) => void (failure = error instanceof Error ? error.message : String(error)),
    ).finally(() => {
      inFlight = false;
      schedule();
    });
  }
  ping();
  return {
    down() {
      if (redis.status !== "ready") return `not connected (${redis.status})`;
      return failure;
    },
    close() {
      closed = true;
      cancel();
      redis.off("ready", onReady);
    },
  };
}
