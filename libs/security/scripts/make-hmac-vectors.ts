// Writes testdata/hmac-vectors.json: the golden cases of the HMAC scheme (docs/SECURITY.md) that
// the server and every SDK must reproduce byte for byte. Run once when the scheme changes (never
// silently: a changed vector breaks every client) with `npm run vectors -w @llm-pool/security`.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { InferRequestSchema, Task } from "@llm-pool/contract";
import { bodySha256Hex, canonicalContentType, canonicalQuery, signature, stringToSign, SIGNING_VERSION } from "../src/index.js";

const secrets = {
  A: "llmpool-vector-secret-A-0123456789abcdef",
  B: "5f0c6e1d2b7a4c9e8f3a1b0c2d4e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70",
};
const keyIds = { A: "vvtv-a", B: "vvtv-b" };

const grpcMessage = toBinary(
  InferRequestSchema,
  create(InferRequestSchema, { query: { requestId: "vec-1", task: Task.EXPAND_QUERIES, prompt: "gatos" } }),
);
const envelope = (data: Uint8Array) => {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(data.byteLength, 1);
  return Buffer.concat([head, data]);
};
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const inferJson = json({ task: "TASK_EXPAND_QUERIES", prompt: "gatos pretos" });

interface Case {
  name: string;
  slot: "A" | "B";
  method: string;
  path: string;
  query?: string;
  contentType?: string;
  body?: Uint8Array;
}

const cases: Case[] = [
  { name: "rest-empty-body-no-content-type", slot: "A", method: "POST", path: "/v1/infer" },
  { name: "rest-json", slot: "A", method: "POST", path: "/v1/infer", contentType: "application/json", body: inferJson },
  { name: "rest-json-key-b", slot: "B", method: "POST", path: "/v1/infer", contentType: "application/json", body: inferJson },
  { name: "rest-json-charset-parameter-dropped", slot: "A", method: "POST", path: "/v1/infer", contentType: "application/json; charset=utf-8", body: inferJson },
  { name: "rest-content-type-lowercased", slot: "B", method: "POST", path: "/v1/infer", contentType: "Application/JSON ; Charset=UTF-8", body: inferJson },
  { name: "rest-utf8-body", slot: "A", method: "POST", path: "/v1/infer", contentType: "application/json", body: json({ task: "TASK_ENRICH_METADATA", prompt: "ação, café, 東京 and 🎬" }) },
  { name: "query-sorted-by-name", slot: "A", method: "POST", path: "/v1/infer", query: "b=2&a=1", contentType: "application/json", body: inferJson },
  { name: "query-repeated-name-sorted-by-value", slot: "B", method: "POST", path: "/v1/infer", query: "a=2&a=10&a=1", contentType: "application/json", body: inferJson },
  { name: "query-plus-is-literal-space-is-%20", slot: "A", method: "POST", path: "/v1/infer", query: "q=hello%20world&x=a+b", contentType: "application/json", body: inferJson },
  { name: "query-percent-hex-uppercased", slot: "A", method: "POST", path: "/v1/infer", query: "q=%c3%a7%c3%a3o", contentType: "application/json", body: inferJson },
  { name: "query-reserved-characters-encoded", slot: "B", method: "POST", path: "/v1/infer", query: "path=/a/b&star=*&tilde=~&bang=!", contentType: "application/json", body: inferJson },
  { name: "query-unreserved-characters-decoded", slot: "A", method: "POST", path: "/v1/infer", query: "k%2Dx=%41%7E", contentType: "application/json", body: inferJson },
  { name: "query-name-without-value", slot: "A", method: "POST", path: "/v1/infer", query: "flag&z=1", contentType: "application/json", body: inferJson },
  { name: "query-empty-segments-dropped", slot: "B", method: "POST", path: "/v1/infer", query: "&&a=1&", contentType: "application/json", body: inferJson },
  { name: "get-metrics-no-body", slot: "A", method: "GET", path: "/metrics" },
  { name: "grpc", slot: "A", method: "POST", path: "/vvtv.llmpool.v1.LlmPoolService/Infer", contentType: "application/grpc", body: envelope(grpcMessage) },
  { name: "grpc-proto-key-b", slot: "B", method: "POST", path: "/vvtv.llmpool.v1.LlmPoolService/Infer", contentType: "application/grpc+proto", body: envelope(grpcMessage) },
  { name: "grpc-web", slot: "A", method: "POST", path: "/vvtv.llmpool.v1.LlmPoolService/Infer", contentType: "application/grpc-web+proto", body: envelope(grpcMessage) },
  { name: "connect-unary-proto", slot: "B", method: "POST", path: "/vvtv.llmpool.v1.LlmPoolService/Infer", contentType: "application/proto", body: grpcMessage },
  { name: "connect-unary-json", slot: "A", method: "POST", path: "/vvtv.llmpool.v1.LlmPoolService/Infer", contentType: "application/json", body: json({ query: { task: "TASK_JUDGE", prompt: "pick one" } }) },
  { name: "connect-streaming-json", slot: "A", method: "POST", path: "/vvtv.llmpool.v1.LlmPoolService/InferStream", contentType: "application/connect+json", body: envelope(json({ query: { task: "TASK_JUDGE", prompt: "pick one" } })) },
  { name: "binary-body-every-byte", slot: "B", method: "POST", path: "/v1/infer", contentType: "application/octet-stream", body: Uint8Array.from({ length: 256 }, (_, i) => i) },
];

const vectors = cases.map((c, i) => {
  const body = c.body ?? new Uint8Array();
  const parts = {
    keyId: keyIds[c.slot],
    timestamp: String(1_800_000_000 + i * 7),
    nonce: Buffer.from(`llm-pool vector ${String(i).padStart(2, "0")}`).toString("base64url").slice(0, 24),
    method: c.method,
    path: c.path,
    query: c.query ?? "",
    contentType: c.contentType ?? "",
    body,
  };
  const text = Buffer.from(body).toString("utf8");
  return {
    name: c.name,
    key_slot: c.slot,
    key_id: parts.keyId,
    secret: secrets[c.slot],
    timestamp: parts.timestamp,
    nonce: parts.nonce,
    method: parts.method,
    path: parts.path,
    query: parts.query,
    content_type: parts.contentType,
    body_base64: Buffer.from(body).toString("base64"),
    ...(Buffer.from(text, "utf8").equals(Buffer.from(body)) && !/[\u0000-\u0008\u000e-\u001f]/.test(text) ? { body_text: text } : {}),
    canonical_query: canonicalQuery(parts.query),
    canonical_content_type: canonicalContentType(parts.contentType),
    body_sha256: bodySha256Hex(body),
    string_to_sign: stringToSign(parts),
    signature: signature(secrets[c.slot], parts),
  };
});

const file = {
  scheme: SIGNING_VERSION,
  description:
    "Golden cases of the llm-pool HMAC request signature (docs/SECURITY.md). The secret is used as its UTF-8 bytes; body_base64 holds the exact body bytes; string_to_sign lines are joined with LF.",
  vectors,
};
writeFileSync(join(import.meta.dirname, "../../../testdata/hmac-vectors.json"), JSON.stringify(file, null, 2) + "\n");
console.log(`wrote ${vectors.length} vectors`);
