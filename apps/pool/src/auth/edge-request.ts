import { headerListFromRaw } from "@llm-pool/security";
import type { EdgeRequest } from "./edge-auth.js";

/** The parts of a Node request the auth step needs, with the body already read. */
export function edgeRequestOf(
  req: { method?: string | undefined; url?: string | undefined; rawHeaders: readonly string[] },
  body: Uint8Array,
): EdgeRequest {
  const target = req.url ?? "";
  const q = target.indexOf("?");
  return {
    method: req.method ?? "",
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? "" : target.slice(q + 1),
    headers: headerListFromRaw(req.rawHeaders),
    body,
  };
}
