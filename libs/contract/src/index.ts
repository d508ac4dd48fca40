// The generated contract, re-exported from one place. The files under gen/
// are produced by `npm run generate` (buf + protoc-gen-es); never edit them.
export * from "./gen/vvtv/llmpool/v1/llmpool_pb.js";
