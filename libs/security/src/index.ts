// @llm-pool/security — who may call the pool and how much (R-SEC-1..6): HMAC request signing with
// replay protection, JWT, per-{tenant, project} rate limits, daily token quotas, tenant policies.

// For the composition root and the edges.
export { createSecurity, type Security, type SecurityOptions } from "./create-security.js";
export { TenantGate } from "./tenant-gate.js";
export { headerListFromRaw, headerListFromRecord, type HeaderList } from "./request-headers.js";
export type { SecurityObserver } from "./security-observer.js";
export type { StoreFailureMode } from "./store-guard.js";

// The signing scheme, for SDKs, tools and tests (docs/SECURITY.md).
export { signRequest } from "./hmac/sign-request.js";

// The UTC day a daily quota counts in (tests of the quota through the server).
export { utcDay } from "./quota/token-quota.js";
