import * as z from "zod";
import { STORE_DRIVERS } from "../names.js";
import { envName, intIn } from "./common.js";

const DAY_MS = 86_400_000;

export const cacheSchema = z.strictObject({
  enabled: z.boolean().default(true),
  driver: z.enum(STORE_DRIVERS).default("memory"),
  default_ttl_ms: intIn(0, DAY_MS).default(600_000),
  max_entries: intIn(1, 10_000_000).default(10_000),
  max_bytes: intIn(1024, 16 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
  redis_url_env: envName().optional(),
  // R-CACHE-2: an Answer is kept for a repeated request_id for 10 to 15 minutes.
  idempotency_ttl_ms: intIn(600_000, 900_000).default(900_000),
  // Tenants never share answers unless the operator says so.
  share_across_tenants: z.boolean().default(false),
  // Redis down: "open" runs the query without idempotency, "closed" refuses it (503).
  idempotency_on_store_failure: z.enum(["open", "closed"]).default("open"),
});

export const CACHE_MAX_TTL_MS = DAY_MS;
