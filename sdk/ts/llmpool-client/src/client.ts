import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { type Client as RpcClient, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { checkCredentials, type BearerToken, type Credentials, type HmacKey } from "./credentials.js";
import { type Answer, type InferStreamResponse, LlmPoolService, type Query, QuerySchema } from "./gen/vvtv/llmpool/v1/llmpool_pb.js";
import { LlmPoolError } from "./llmpool-error.js";
import { LocalBackend, type LocalEngineOptions } from "./local-backend.js";
import { RetryPolicy, type RetryOptions } from "./retry-policy.js";
import { createSigningFetch, type FetchLike } from "./signing-fetch.js";

export type QueryInit = MessageInitShape<typeof QuerySchema>;

export interface ClientOptions {
  /** The pool's URL; default http://127.0.0.1:7070. */
  readonly baseUrl?: string;
  /** Sign every request with this key (docs/SECURITY.md). */
  readonly hmac?: HmacKey;
  /** Or send this JWT as a bearer token. */
  readonly token?: BearerToken;
  /** "pool" (default) or "local": straight to one engine with the pool's prompts, for development. */
  readonly backend?: "pool" | "local";
  readonly local?: LocalEngineOptions;
  /** "connect" (default) or "grpc-web". */
  readonly protocol?: "connect" | "grpc-web";
  /** Protobuf binary (default) or JSON on the wire. */
  readonly binary?: boolean;
  /** Client-side limit per attempt when the query sets no deadline_ms; default 10000. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions | RetryPolicy;
  /** The fetch requests go out through (signed first); default globalThis.fetch. */
  readonly fetch?: FetchLike;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** Time allowed beyond the query's own deadline for the pool's answer (or its deadline error). */
const DEADLINE_MARGIN_MS = 1000;

export interface LlmPoolClient {
  /** One query, one Answer; throws LlmPoolError once any retries that apply are spent. */
  infer(query: QueryInit, options?: { signal?: AbortSignal }): Promise<Answer>;
  /** Text deltas as the winning engine writes them, then the Answer, last. Not retried. */
  inferStream(query: QueryInit, options?: { signal?: AbortSignal }): AsyncIterable<InferStreamResponse>;
}

export function createLlmPoolClient(options: ClientOptions = {}): LlmPoolClient {
  const credentials: Credentials = options.hmac ? { hmac: options.hmac } : options.token ? { token: options.token } : undefined;
  if (options.hmac && options.token) throw new TypeError("token: give either hmac or token, not both");
  checkCredentials(credentials);
  const retry = options.retry instanceof RetryPolicy ? options.retry : new RetryPolicy(options.retry);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0)) throw new TypeError("timeoutMs: must be above 0");
  const baseFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const attemptTimeout = (query: Query) => (query.deadlineMs ? query.deadlineMs + DEADLINE_MARGIN_MS : timeoutMs);

  let send: (query: Query, signal: AbortSignal | undefined) => Promise<Answer>;
  let rpc: RpcClient<typeof LlmPoolService> | undefined;
  if ((options.backend ?? "pool") === "local") {
    if (!options.local) throw new TypeError("local: engine options are required with backend 'local'");
    const local = new LocalBackend(options.local, baseFetch);
    send = (query, signal) => local.infer(query, AbortSignal.any([AbortSignal.timeout(attemptTimeout(query)), ...(signal ? [signal] : [])]));
  } else if (options.backend === undefined || options.backend === "pool") {
    const transport = poolTransport(options, createSigningFetch(credentials, { fetch: baseFetch, ...(options.now ? { now: options.now } : {}) }));
    const client = createClient(LlmPoolService, transport);
    rpc = client;
    send = async (query, signal) => {
      const response = await client.infer({ query }, { timeoutMs: attemptTimeout(query), ...(signal ? { signal } : {}) });
      if (!response.answer) throw new LlmPoolError("internal", "the pool sent an InferResponse without an answer");
      return response.answer;
    };
  } else {
    throw new TypeError(`backend: expected "pool" or "local", got "${String(options.backend)}"`);
  }

  return {
    async infer(init, callOptions = {}) {
      const query = create(QuerySchema, init);
      for (let attempt = 0; ; attempt++) {
        try {
          return await send(query, callOptions.signal);
        } catch (reason) {
          const error = LlmPoolError.from(reason);
          const delay = callOptions.signal?.aborted ? undefined : retry.delayBeforeRetry(error, attempt, query.requestId !== "");
          if (delay === undefined) throw error;
          await sleep(delay);
        }
      }
    },
    async *inferStream(init, callOptions = {}) {
      if (!rpc) throw new TypeError("inferStream: needs backend 'pool'");
      const query = create(QuerySchema, init);
      try {
        yield* rpc.inferStream({ query }, { timeoutMs: attemptTimeout(query), ...(callOptions.signal ? { signal: callOptions.signal } : {}) });
      } catch (reason) {
        throw LlmPoolError.from(reason);
      }
    },
  };
}

function poolTransport(options: ClientOptions, fetch: FetchLike): Transport {
  const baseUrl = options.baseUrl ?? "http://127.0.0.1:7070";
  if (!/^https?:\/\/[^/]/.test(baseUrl)) throw new TypeError(`baseUrl: expected an http(s) URL, got "${baseUrl}"`);
  const common = { baseUrl, fetch: fetch as typeof globalThis.fetch, useBinaryFormat: options.binary ?? true };
  return options.protocol === "grpc-web" ? createGrpcWebTransport(common) : createConnectTransport(common);
}
