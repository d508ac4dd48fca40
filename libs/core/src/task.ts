import type { OutputFormat, StrategyName, TaskName } from "@llm-pool/config";
import { OutputKind, Strategy, Task } from "@llm-pool/contract";

// Task and strategy names are the config's vocabulary (`[tasks.<name>]`,
// `strategy = "FASTEST"`); this file maps them to and from the wire enums.
export { STRATEGIES, TASK_NAMES, type StrategyName, type TaskName } from "@llm-pool/config";
export type OutputKindName = OutputFormat;

const taskByEnum: Record<number, TaskName> = {
  [Task.EXPAND_QUERIES]: "expand_queries",
  [Task.SITE_TACTICS]: "site_tactics",
  [Task.RERANK_CANDIDATES]: "rerank_candidates",
  [Task.JUDGE]: "judge",
  [Task.RECOVERY_PLAN]: "recovery_plan",
  [Task.ENRICH_METADATA]: "enrich_metadata",
};

const strategyByEnum: Record<number, StrategyName> = {
  [Strategy.FASTEST]: "FASTEST",
  [Strategy.VOTING]: "VOTING",
  [Strategy.CONSENSUS]: "CONSENSUS",
  [Strategy.WEIGHTED]: "WEIGHTED",
  [Strategy.JUDGE]: "JUDGE",
};

const outputByEnum: Record<number, OutputKindName> = {
  [OutputKind.TEXT]: "text",
  [OutputKind.JSON]: "json",
  [OutputKind.JSON_SCHEMA]: "json_schema",
};

/** The task's config name, or undefined for TASK_UNSPECIFIED and unknown values. */
export function taskName(task: Task): TaskName | undefined {
  return taskByEnum[task];
}

export function taskEnum(name: TaskName): Task {
  return Number(Object.keys(taskByEnum).find((k) => taskByEnum[Number(k)] === name)) as Task;
}

/** The strategy's name, or undefined for STRATEGY_UNSPECIFIED and unknown values. */
export function strategyName(strategy: Strategy): StrategyName | undefined {
  return strategyByEnum[strategy];
}

export function strategyEnum(name: StrategyName): Strategy {
  return Strategy[name];
}

export function outputKindName(kind: OutputKind): OutputKindName | undefined {
  return outputByEnum[kind];
}

export function outputKindEnum(name: OutputKindName): OutputKind {
  return { text: OutputKind.TEXT, json: OutputKind.JSON, json_schema: OutputKind.JSON_SCHEMA }[name];
}
