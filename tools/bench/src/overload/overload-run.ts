import { create } from "@bufbuild/protobuf";
import type { ConfigSnapshot } from "@llm-pool/config";
import { QuerySchema, Task } from "@llm-pool/contract";
import { Orchestrator, PoolError, type Clock } from "@llm-pool/core";
import { createEnsemble } from "@llm-pool/ensemble";
import type { LiveProviderPool } from "@llm-pool/providers";
import { BreakerBoard, HedgeBudget } from "@llm-pool/qos";
import type { MachineLoad } from "./machine-watch.js";
import type { OverloadPolicy } from "./overload-policy.js";
import { promptOf, type OverloadQuery } from "./overload-scenario.js";

/** How one query ended, as its client saw it. */
export interface QueryOutcome {
  readonly query: OverloadQuery;
  /** "ok" or the error's machine code (resource_exhausted: refused by admission). */
  readonly code: string;
  /** Scenario ms from sending to the answer or the error. */
  readonly latencyMs: number;
  /** Real ms the pool took (what "refused in <= 5 ms" is about); in the simulator, the CPU time of the call. */
  readonly wallMs: number;
  /**
   * CPU ms this process used meanwhile: the pool's own work on the call, plus
   * whatever else ran in between (never less than the call's work). Beside
   * wallMs it tells the pool's cost from time spent waiting for a CPU.
   */
  readonly cpuMs: number;
}

/** What one policy did over one scenario. */
export interface OverloadRun {
  readonly policy: string;
  readonly outcomes: readonly QueryOutcome[];
  /** Every breaker opening: which provider, and when (scenario ms from the start). */
  readonly breakerOpens: readonly { readonly provider: string; readonly at: number }[];
  /** The engine's learned limit, sampled at each arrival, by step. */
  readonly limitByStep: ReadonlyMap<number, number[]>;
  /** How busy the machine was (live runs, which measure real time). */
  readonly machine?: MachineLoad;
}

/** The pool as apps/pool wires it, minus the transports: orchestrator, ensemble, breakers, hedge budget, providers. */
export interface PoolUnderLoad {
  readonly config: ConfigSnapshot;
  readonly providers: LiveProviderPool;
  readonly clock: Clock;
  readonly policy: OverloadPolicy;
}

/** apps/pool's `[qos] hedge_budget_share` default. */
const HEDGE_BUDGET_SHARE = 0.15;

/** The orchestrator over the pool's providers, with FASTEST's breakers and the shipped hedge budget. */
export function poolOrchestrator(pool: Pick<PoolUnderLoad, "config" | "providers" | "clock">, breakers: BreakerBoard): Orchestrator {
  const { config, providers, clock } = pool;
  return new Orchestrator({
    config: () => config,
    providers,
    ensemble: createEnsemble({ clock, breakers, hedgeBudget: new HedgeBudget({ share: HEDGE_BUDGET_SHARE, clock }) }),
    clock,
  });
}

/**
 * Sends every query at its time through the shipped pipeline and collects what
 * each client got. `run` drives the clock until every query has settled.
 */
export async function runQueries(pool: PoolUnderLoad, queries: readonly OverloadQuery[], run: (all: Promise<unknown>) => Promise<void>): Promise<OverloadRun> {
  const { config, providers, clock, policy } = pool;
  const breakers = new BreakerBoard(config.breaker, clock);
  const breakerOpens: { provider: string; at: number }[] = [];
  const start = clock.now();
  breakers.onStateChange((change) => {
    if (change.to === "open") breakerOpens.push({ provider: change.provider, at: change.at - start });
  });
  const orchestrator = poolOrchestrator(pool, breakers);
  const limitByStep = new Map<number, number[]>();
  const pending = queries.map(
    (query) =>
      new Promise<QueryOutcome>((resolve) => {
        clock.setTimer(query.at - (clock.now() - start), () => {
          const limits = limitByStep.get(query.step) ?? [];
          limits.push(providers.engines()[0]?.limit ?? 0);
          limitByStep.set(query.step, limits);
          const sentAt = clock.now();
          const wallStart = performance.now();
          const cpuStart = process.cpuUsage();
          const message = create(QuerySchema, {
            task: Task.EXPAND_QUERIES,
            prompt: promptOf(query),
            deadlineMs: query.deadlineMs,
            ...(policy.tenants && query.tenant ? { tenantId: query.tenant } : {}),
          });
          const settle = (code: string) => {
            const wallMs = performance.now() - wallStart;
            const cpu = process.cpuUsage(cpuStart);
            resolve({ query, code, latencyMs: clock.now() - sentAt, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 });
          };
          orchestrator.infer(message, { signal: new AbortController().signal }).then(
            () => settle("ok"),
            (error: unknown) => settle(error instanceof PoolError ? error.code : "internal"),
          );
        });
      }),
  );
  const all = Promise.all(pending);
  await run(all);
  return { policy: policy.label, outcomes: await all, breakerOpens, limitByStep };
}
