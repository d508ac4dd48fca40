import type { ConfigSnapshot, TaskConfig } from "@llm-pool/config";
import {
  Deadline,
  ensembleSettingsFrom,
  PoolError,
  renderPrompt,
  type Clock,
  type Ensemble,
  type OutputSpec,
  type StrategyName,
} from "@llm-pool/core";
import { createEnsemble, createOutputValidator, VERDICT_SCHEMA } from "@llm-pool/ensemble";
import { createProviderPool, type LiveProviderPool } from "@llm-pool/providers";
import { BreakerBoard, HedgeBudget } from "@llm-pool/qos";
import { scaledClock } from "../live/scaled-clock.js";
import { BENCH_TASK, benchConfig } from "./bench-config.js";
import { QueryTally, tallied, withTally } from "./query-tally.js";
import type { QueryResult } from "./strategy-report.js";

/** apps/pool/src/main.ts's HEDGE_BUDGET_SHARE: hedges add at most 15% of primary calls (plus a burst). */
export const POOL_HEDGE_BUDGET_SHARE = 0.15;

/** One query as the client sends it, and when (scenario ms after the run starts). */
export interface BenchQuery {
  readonly at: number;
  readonly prompt: string;
}

export interface StrategyRunOptions {
  readonly strategy: StrategyName;
  readonly engineUrl: string;
  readonly queries: readonly BenchQuery[];
  readonly timeScale: number;
  readonly deadlineMs: number;
  readonly hedgeAfterMs: number;
  /** Circuit breakers per (provider, task) from the config's [breaker], as in the pool. */
  readonly breakers: boolean;
}

export interface StrategyRun {
  readonly results: QueryResult[];
  /** Breakers that opened; undefined when the run had none. */
  readonly breakerOpens?: number;
}

/**
 * Runs every query with one strategy, wired as the pool wires it: the
 * providers from `createProviderPool` (Ollama driver, engine slot queue,
 * health, warm-up) over real HTTP, `createEnsemble` with its schema
 * validator, the pool's hedge budget, the judge looked up by name and (when
 * asked) breakers per (provider, task); each plan built as the orchestrator
 * builds it.
 * Time runs `timeScale` times as fast as the scenario says, on both sides.
 */
export async function runStrategy(options: StrategyRunOptions): Promise<StrategyRun> {
  const clock = scaledClock(options.timeScale);
  const config = await benchConfig({ engineUrl: options.engineUrl, deadlineMs: options.deadlineMs, hedgeAfterMs: options.hedgeAfterMs });
  const providers = createProviderPool({ env: {}, clock });
  providers.start(config);
  try {
    // Warm every model up, as the pool does at start (R-PRV-6).
    await providers.warming();
    const breakers = options.breakers ? new BreakerBoard(config.breaker, clock) : undefined;
    let breakerOpens = 0;
    breakers?.onStateChange((change) => {
      if (change.to === "open") breakerOpens++;
    });
    const task = config.tasks[BENCH_TASK];
    // Compile the schemas now: a first request pays for it in the pool, and here it would be magnified by 1 / timeScale.
    const validator = createOutputValidator();
    validator.check("{}", outputOf(task));
    validator.check("{}", { kind: "json_schema", schema: VERDICT_SCHEMA });
    const ensemble = createEnsemble({
      clock,
      validator,
      judges: (name) => {
        const judge = providers.named(config, name);
        return judge && tallied(judge, "judge");
      },
      ...(breakers ? { breakers } : {}),
      hedgeBudget: new HedgeBudget({ share: POOL_HEDGE_BUDGET_SHARE, clock }),
    });
    const run = { config, task, providers, ensemble, clock, strategy: options.strategy };
    const results = await new Promise<QueryResult[]>((resolve) => {
      const done: QueryResult[] = new Array(options.queries.length);
      let left = options.queries.length;
      if (left === 0) resolve([]);
      options.queries.forEach((query, i) => {
        clock.setTimer(query.at, () => {
          void runQuery(run, query, i).then((result) => {
            done[i] = result;
            if (--left === 0) resolve(done);
          });
        });
      });
    });
    return { results, ...(breakers ? { breakerOpens } : {}) };
  } finally {
    await providers.close();
  }
}

interface RunWiring {
  readonly config: ConfigSnapshot;
  readonly task: TaskConfig;
  readonly providers: LiveProviderPool;
  readonly ensemble: Ensemble;
  readonly clock: Clock;
  readonly strategy: StrategyName;
}

/** One query, planned as Orchestrator#run plans it; never rejects. */
async function runQuery(run: RunWiring, query: BenchQuery, index: number): Promise<QueryResult> {
  const { config, task, clock } = run;
  const startedAt = clock.now();
  // The orchestrator leaves deadline_margin_ms for the answer to leave the pool.
  const deadline = new Deadline(clock, startedAt + Math.max(1, task.deadline_ms - config.qos.deadline_margin_ms));
  const tally = new QueryTally();
  const counts = () => ({
    candidateCalls: tally.candidateCalls,
    judgeCalls: tally.judgeCalls,
    candidateTokens: tally.candidateTokens,
    judgeTokens: tally.judgeTokens,
  });
  try {
    const outcome = await withTally(tally, () =>
      run.ensemble.run({
        requestId: `bench-${index}`,
        task: task.name,
        strategy: run.strategy,
        providers: run.providers.forTask(config, task).map((p) => tallied(p, "candidate")),
        request: {
          task: task.name,
          ...renderPrompt(task, query.prompt, undefined),
          maxTokens: task.max_tokens,
          temperature: task.temperature,
          seed: task.seed,
          output: outputOf(task),
          deadlineAt: deadline.at,
        },
        deadline,
        clock,
        startedAt,
        hedgeAfterMs: task.hedge_after_ms,
        ensemble: ensembleSettingsFrom(config, task),
      }),
    );
    return { latencyMs: clock.now() - startedAt, outcome, ...counts() };
  } catch (error) {
    const failure = error instanceof PoolError ? error.code : "internal";
    return { latencyMs: clock.now() - startedAt, failure, ...counts() };
  } finally {
    deadline.dispose();
  }
}

/** The task's output as validateQuery resolves it for a query that names none. */
function outputOf(task: TaskConfig): OutputSpec {
  if (task.output === "json_schema" && typeof task.schema === "object" && task.schema !== null) {
    return { kind: "json_schema", schema: task.schema as Readonly<Record<string, unknown>> };
  }
  return task.output === "text" ? { kind: "text" } : { kind: "json" };
}
