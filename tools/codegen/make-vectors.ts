// Writes the shared test vectors in testdata/vectors/: each message in binary
// (.binpb) and canonical JSON (.json, sorted keys). The TypeScript, Python and
// Rust packages decode them and must re-encode them identically.
// Run: npm run vectors (only when the vectors change).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { create, toBinary, toJson, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import {
  AnswerSchema,
  CandidateStatus,
  FallbackReason,
  HealthResponseSchema,
  OutputKind,
  ProviderState,
  QuerySchema,
  ServingStatus,
  Strategy,
  Task,
} from "@llm-pool/contract";

const out = join(import.meta.dirname, "../../testdata/vectors");

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function write<D extends DescMessage>(name: string, schema: D, message: MessageShape<D>): void {
  writeFileSync(join(out, `${name}.binpb`), toBinary(schema, message));
  writeFileSync(join(out, `${name}.json`), JSON.stringify(sortKeys(toJson(schema, message)), null, 2) + "\n");
}

write(
  "query-minimal",
  QuerySchema,
  create(QuerySchema, { task: Task.EXPAND_QUERIES, prompt: "cinematic lounge, ambient slow burn" }),
);

write(
  "query-full",
  QuerySchema,
  create(QuerySchema, {
    requestId: "req-2026-11-25.0001",
    tenantId: "vvtv",
    projectId: "curator",
    task: Task.RERANK_CANDIDATES,
    strategy: Strategy.JUDGE,
    prompt: "Ordene para o slot 86 — evite paletas repetidas ✓",
    input: {
      candidates: [
        { duration_sec: 604, id: "c1", palette: ["cool"], vmaf: 90.5 },
        { duration_sec: 720, id: "c2", palette: ["warm"], vmaf: 87 },
      ],
      has_policy_flags: false,
      slot: { id: "86", target_duration_sec: 600 },
      unused: null,
    },
    maxTokens: 128,
    deadlineMs: 1200,
    meta: { cache: "no-store", hook: "curator", trace: "a1b2" },
    output: {
      kind: OutputKind.JSON_SCHEMA,
      jsonSchema: '{"type":"object","required":["ranking"],"properties":{"ranking":{"type":"array","items":{"type":"string"}}}}',
    },
  }),
);

write(
  "answer-judge-fallback",
  AnswerSchema,
  create(AnswerSchema, {
    requestId: "req-2026-11-25.0001",
    tenantId: "vvtv",
    projectId: "curator",
    task: Task.RERANK_CANDIDATES,
    output: '{"ranking":["c1","c2"]}',
    outputKind: OutputKind.JSON_SCHEMA,
    winnerProvider: "ollama-gemma2-9b",
    winnerModel: "gemma2:9b",
    strategyRequested: Strategy.JUDGE,
    strategyApplied: Strategy.VOTING,
    decision: {
      candidates: [
        { id: "c1", provider: "ollama-llama31-8b", model: "llama3.1:8b", latencyMs: 812, status: CandidateStatus.OK, score: 0.5, usage: { promptTokens: 311, completionTokens: 19 } },
        { id: "c2", provider: "ollama-gemma2-9b", model: "gemma2:9b", latencyMs: 640, status: CandidateStatus.OK, score: 1, usage: { promptTokens: 298, completionTokens: 17 } },
        { id: "c3", provider: "ollama-phi3-mini", model: "phi3:mini", latencyMs: 1100, status: CandidateStatus.TIMEOUT, error: "deadline of 840 ms exceeded", hedged: true },
      ],
      winnerId: "c2",
      fallbacks: [
        { from: Strategy.JUDGE, to: Strategy.VOTING, reason: FallbackReason.VERDICT_UNPARSABLE, detail: "verdict is not JSON" },
      ],
      judge: { provider: "ollama-llama31-8b", model: "llama3.1:8b", latencyMs: 240, status: CandidateStatus.INVALID, reason: "" },
      agreement: 0.6666666666666666,
      hedges: 1,
    },
    usage: { promptTokens: 298, completionTokens: 17 },
    totalUsage: { promptTokens: 1020, completionTokens: 61 },
    durationMs: 1187,
  }),
);

write(
  "answer-from-cache",
  AnswerSchema,
  create(AnswerSchema, {
    requestId: "9f1c6a52-7d4e-4f0a-b0a4-1e2f3a4b5c6d",
    tenantId: "vvtv",
    projectId: "planner",
    task: Task.EXPAND_QUERIES,
    output: '{"must_include":["cinematic lounge"],"optional":["downtempo","bokeh"]}',
    outputKind: OutputKind.JSON,
    winnerProvider: "ollama-phi3-mini",
    winnerModel: "phi3:mini",
    strategyRequested: Strategy.FASTEST,
    strategyApplied: Strategy.FASTEST,
    fromCache: true,
    durationMs: 2,
  }),
);

write(
  "health-response",
  HealthResponseSchema,
  create(HealthResponseSchema, {
    status: ServingStatus.SERVING,
    providers: [
      { name: "ollama-phi3-mini", driver: "ollama", model: "phi3:mini", state: ProviderState.HEALTHY, updatedUnixMs: 1795000000123n },
      { name: "ollama-gemma2-9b", driver: "ollama", model: "gemma2:9b", state: ProviderState.UNHEALTHY, lastError: "connect ECONNREFUSED 127.0.0.1:11434", updatedUnixMs: 1795000000456n },
    ],
    configVersion: "3f9a0c1d2e4b5a67",
  }),
);
