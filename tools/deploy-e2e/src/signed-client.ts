import { create, toBinary } from "@bufbuild/protobuf";
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { InferRequestSchema, LlmPoolService, Task } from "@llm-pool/contract";
import { signRequest } from "@llm-pool/security";

/** A tenant key: its id and its secret (the value of the variable the config names). */
export interface TenantKey {
  readonly keyId: string;
  readonly secret: string;
}

/** The JSON body of `POST /v1/infer` for expand_queries. */
export function inferBody(prompt: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ task: "TASK_EXPAND_QUERIES", prompt, ...extra });
}

/** The headers of a signed `POST /v1/infer` (docs/SECURITY.md), with a fresh nonce unless one is given. */
export function signedRestHeaders(key: TenantKey, body: string, options: { nonce?: string; now?: number } = {}): Record<string, string> {
  return {
    "content-type": "application/json",
    ...signRequest(key.secret, {
      keyId: key.keyId,
      method: "POST",
      path: "/v1/infer",
      query: "",
      contentType: "application/json",
      body: Buffer.from(body),
      now: options.now ?? Date.now(),
      ...(options.nonce && { nonce: options.nonce }),
    }),
  };
}

/** Signs unary gRPC calls as an SDK does: the body is the enveloped request message. */
export function signingInterceptor(key: TenantKey): Interceptor {
  return (next) => async (req) => {
    if (!req.stream) {
      const message = toBinary(req.method.input, req.message);
      const envelope = Buffer.alloc(5 + message.byteLength);
      envelope.writeUInt32BE(message.byteLength, 1);
      envelope.set(message, 5);
      const url = new URL(req.url);
      const headers = signRequest(key.secret, {
        keyId: key.keyId,
        method: "POST",
        path: url.pathname,
        query: url.search.slice(1),
        contentType: req.header.get("content-type") ?? "",
        body: envelope,
      });
      for (const [name, value] of Object.entries(headers)) req.header.set(name, value);
    }
    return next(req);
  };
}

/** A gRPC (HTTP/2 over TLS) client of the pool's service, signing with `key` when given. */
export function grpcClient(
  baseUrl: string,
  tls: Buffer | { ca: Buffer; cert?: Buffer; key?: Buffer },
  key?: TenantKey,
): Client<typeof LlmPoolService> {
  const transport = createGrpcTransport({
    baseUrl,
    nodeOptions: Buffer.isBuffer(tls) ? { ca: tls } : tls,
    interceptors: key ? [signingInterceptor(key)] : [],
  });
  return createClient(LlmPoolService, transport);
}

/** An Infer request for expand_queries over RPC. */
export const inferRequest = (prompt: string) => create(InferRequestSchema, { query: { task: Task.EXPAND_QUERIES, prompt } });
