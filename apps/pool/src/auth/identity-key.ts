import { createContextKey } from "@connectrpc/connect";
import type { Identity } from "@llm-pool/core";

/** Where the RPC edge leaves the authenticated identity for the service handlers (HandlerContext.values). */
export const identityKey = createContextKey<Identity | undefined>(undefined, { description: "llm-pool identity" });
