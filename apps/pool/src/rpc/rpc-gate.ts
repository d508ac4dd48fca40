import type { DescMessage } from "@bufbuild/protobuf";
import type { Query } from "@llm-pool/contract";
import type { Identity } from "@llm-pool/core";
import { readAtMost } from "../body-limit.js";
import type { EdgeAuth } from "../auth/edge-auth.js";
import { edgeRequestOf } from "../auth/edge-request.js";
import { requestMessages } from "./request-messages.js";

/** One RPC as it reaches the gate: nothing of it read yet. */
export interface GateRequest {
  /** The Node request: method, target and raw headers, as the signature covers them. */
  readonly req: { method?: string | undefined; url?: string | undefined; rawHeaders: readonly string[] };
  readonly body: AsyncIterable<Uint8Array>;
  readonly header: Headers;
  /** The absolute request URL (Connect's), for a GET's query. */
  readonly url: string;
  /** The registered RPC path it routes to, or the path as sent for a method the server does not have. */
  readonly path: string;
  /** The RPC's input message; undefined for a method the server does not have. */
  readonly input: DescMessage | undefined;
}

/** What passed the gate. */
export interface GatedCall {
  /** The body as read and authenticated; Connect reads these bytes, never the stream again. */
  readonly body: Uint8Array;
  /** The caller; undefined on a public path or with auth configured off. */
  readonly identity: Identity | undefined;
  /** The RateLimit fields of the admitted call, for the response headers. */
  readonly admitted: Readonly<Record<string, string>>;
}

/**
 * The edge's checks of one RPC before Connect sees any of it, whatever its
 * HTTP method: the body read within the limit (a declared Content-Length
 * above it is refused unread), the caller authenticated on the raw request
 * (method, path, query, headers, body bytes) with the scope the path needs,
 * then the request messages decoded (from the body, or from the query of a
 * Connect GET) and each Query admitted against the caller's limits. A GET
 * has an empty body: its signature covers the query, which holds the
 * message. Throws PoolError.
 */
export async function passRpcGate(request: GateRequest, deps: { auth: EdgeAuth; maxBodyBytes: number }): Promise<GatedCall> {
  const body = await readAtMost(request.body, deps.maxBodyBytes, request.header.get("content-length"));
  const access = deps.auth.accessFor(request.path);
  const identity = access === "public" ? undefined : await deps.auth.authenticate(edgeRequestOf(request.req, body), access);
  if (!request.input) return { body, identity, admitted: {} };

  const messages = requestMessages({
    input: request.input,
    method: request.req.method ?? "",
    url: new URL(request.url),
    header: request.header,
    body,
    maxBytes: deps.maxBodyBytes,
  });
  const admitted: Record<string, string> = {};
  if (access !== "public") {
    // A request whose messages Connect decides on (another method, an unknown type) is still admitted, without a Query.
    for (const message of messages.length > 0 ? messages : [undefined]) {
      Object.assign(admitted, await deps.auth.admit(identity, (message as { query?: Query } | undefined)?.query));
    }
  }
  return { body, identity, admitted };
}
