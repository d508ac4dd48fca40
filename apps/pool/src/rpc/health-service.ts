import { Code as RpcCode, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { LlmPoolService } from "@llm-pool/contract";
import { sleep, type Clock, type Readiness } from "@llm-pool/core";
import { Health, HealthCheckResponse_ServingStatus as Status } from "./grpc-health-descriptor.js";

export interface HealthServiceDeps {
  readonly readiness: () => Readiness;
  readonly clock: Clock;
  /** How often Watch looks at readiness, in ms. */
  readonly watchIntervalMs: number;
  /** Aborts when the server starts draining; open Watch streams then end. */
  readonly shutdown: AbortSignal;
}

/** The service names Check and Watch know: "" is the whole server. */
const known = new Set(["", LlmPoolService.typeName]);

/**
 * The standard grpc.health.v1.Health service. Check answers SERVING while
 * the pool is ready, NOT_SERVING otherwise, NOT_FOUND for an unknown service.
 * Watch sends the status at once and again whenever it changes (polled),
 * SERVICE_UNKNOWN for an unknown service, until the client ends the stream
 * or the server drains (it then sends NOT_SERVING and ends with OK).
 */
export function registerHealthService(router: ConnectRouter, deps: HealthServiceDeps): void {
  const status = () => (deps.readiness().ready ? Status.SERVING : Status.NOT_SERVING);

  router.service(Health, {
    check(request) {
      if (!known.has(request.service)) {
        throw new ConnectError(`unknown service "${request.service}"`, RpcCode.NotFound);
      }
      return { status: status() };
    },

    async *watch(request, ctx) {
      const until = AbortSignal.any([ctx.signal, deps.shutdown]);
      let last: Status | undefined;
      while (!until.aborted) {
        const now = known.has(request.service) ? status() : Status.SERVICE_UNKNOWN;
        if (now !== last) yield { status: now };
        last = now;
        try {
          await sleep(deps.clock, deps.watchIntervalMs, until);
        } catch {
          break;
        }
      }
      // Tell a watcher the server is going away before ending its stream.
      if (deps.shutdown.aborted && !ctx.signal.aborted && last !== Status.NOT_SERVING) yield { status: Status.NOT_SERVING };
    },
  });
}
