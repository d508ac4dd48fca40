import * as z from "zod";
import { intIn } from "./common.js";

/**
 * How the pool talks to Redis, for every store on it (answer cache and idempotency, nonces, rate
 * limits and quotas, win-rates). Each store names its own Redis URL; these settings are shared.
 */
export const redisSchema = z.strictObject({
  // A reply must arrive within this or the command fails and the store is skipped for a second.
  // Too short and a busy host (event loop late, Redis slow) turns into refused requests; too long
  // and a frozen Redis holds the request that meets it. 500 ms: neither, on the first user's box.
  command_timeout_ms: intIn(10, 10_000).default(500),
});
