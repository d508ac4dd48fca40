import type { Answer, HealthResponse, Query } from "@llm-pool/contract";
import type { CandidateStatusName } from "./ensemble.js";

/** Who is calling, as the auth layer proved it (R-SEC-4). */
export interface Identity {
  readonly tenantId: string;
  /** Projects this identity may use; the first is the default. */
  readonly projectIds: readonly string[];
  /** Key id (HMAC) or subject (JWT), for logs and metrics. */
  readonly principal: string;
  /** What the credential may do ("infer", "metrics"); each edge route needs one of them. */
  readonly scopes: readonly string[];
}

/** The API a client spoke: the pool's own contract, or a compatible door (R-API-7). */
export type ApiName = "native" | "openai" | "ollama";

/** The wire protocol a call came over. */
export type TransportName = "grpc" | "grpc_web" | "connect" | "http";

/** What the transport knows about one call, beside the Query itself. */
export interface CallContext {
  /** Aborts when the client goes away or the server stops waiting. */
  readonly signal: AbortSignal;
  /** The transport's own deadline (grpc-timeout, connect-timeout-ms), in ms. */
  readonly transportTimeoutMs?: number;
  /** The authenticated caller; absent only when auth is configured off. */
  readonly identity?: Identity;
  /** The W3C `traceparent` header the client sent, continued by the request's trace (R-OBS-3). */
  readonly traceparent?: string;
  /** The W3C `tracestate` header that came with it. */
  readonly tracestate?: string;
  /**
   * How the call came in, for its metrics, log line and span (R-OBS-1..3):
   * set by the edge from the route it serves, never from what the client
   * sent; absent only where no edge is involved (tests, embedding).
   */
  readonly entry?: { readonly api: ApiName; readonly transport: TransportName };
}

export interface Readiness {
  readonly ready: boolean;
  /** Why not ready, one short sentence each; empty when ready. */
  readonly reasons: readonly string[];
}

/**
 * InferService is everything the edges (gRPC, Connect, REST) call. It throws
 * only PoolError; the edges map it to their wire format.
 */
export interface InferService {
  infer(query: Query, ctx: CallContext): Promise<Answer>;
  health(): HealthResponse;
  readiness(): Readiness;
}

/**
 * How far a collecting strategy has got, for a client watching a stream
 * (R-API-6): a candidate call ended, or the judge was asked.
 */
export interface StreamProgress {
  readonly stage: "candidate" | "judge";
  readonly provider: string;
  /** How the call ended; "ok" for a judge just asked. */
  readonly status: CandidateStatusName;
  /** From the query's start. */
  readonly latencyMs: number;
}

/**
 * One event of a streamed answer (R-API-6): text deltas from the provider
 * that is streaming, progress of a collecting strategy, then exactly one
 * answer, last.
 */
export type InferEvent =
  | { readonly kind: "delta"; readonly provider: string; readonly text: string }
  | { readonly kind: "progress"; readonly progress: StreamProgress }
  | { readonly kind: "answer"; readonly answer: Answer };
