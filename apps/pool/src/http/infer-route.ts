import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import type { HttpBindings, Http2Bindings } from "@hono/node-server";
import { AnswerSchema, QuerySchema, type Query } from "@llm-pool/contract";
import { Code, PoolError, invalidArgument, type InferService } from "@llm-pool/core";
import type { Context } from "hono";
import { poolSignal } from "../call-signal.js";
import { jsonDecodeError } from "../json-errors.js";
import type { EdgeLogger } from "../logger.js";
import { REQUEST_ID_HEADER } from "../request-id.js";
import { readBodyText } from "./body.js";
import { errorResponse } from "./errors.js";

export type NodeEnv = { Bindings: HttpBindings | Http2Bindings };

/**
 * `POST /v1/infer`: the proto3 JSON form of Query in (lowerCamelCase or
 * snake_case names, enums by name), the JSON form of Answer out.
 */
export function inferRoute(service: InferService, maxBodyBytes: number, logger: EdgeLogger) {
  return async function infer(c: Context<NodeEnv>): Promise<Response> {
    let query: Query;
    try {
      query = parseQuery(await readBodyText(c.req.raw, maxBodyBytes));
    } catch (error) {
      const tooLarge = error instanceof PoolError && error.code === Code.PayloadTooLarge;
      // The rest of an oversize body stays unread: an HTTP/1.1 connection cannot be reused.
      const close = tooLarge && c.env.incoming.httpVersionMajor === 1;
      return errorResponse(error, logger, close ? { headers: { connection: "close" } } : {});
    }
    try {
      // Without a transport deadline on REST, the query's own deadline_ms rules.
      const signal = poolSignal(c.req.raw.signal, () => false);
      const answer = await service.infer(query, { signal });
      return c.json(toJson(AnswerSchema, answer) as object, 200, { [REQUEST_ID_HEADER]: answer.requestId });
    } catch (error) {
      return errorResponse(error, logger, { requestId: query.requestId });
    }
  };
}

function parseQuery(text: string): Query {
  let json: JsonValue;
  try {
    json = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw invalidArgument("body", `malformed JSON: ${(error as Error).message}`);
  }
  try {
    return fromJson(QuerySchema, json);
  } catch (error) {
    throw jsonDecodeError(QuerySchema, json, error);
  }
}
