// @llm-pool/security — who may call the pool and how much (R-SEC-1..6): HMAC request signing with
// replay protection, JWT, per-{tenant, project} rate limits, daily token quotas, tenant policies.

// For the composition root and the edges.
export { createSecurity, type Security, type SecurityOptions } from "./create-security.js";
export { Authenticator, type AuthenticatorDeps } from "./authenticator.js";
export { TenantGate, type TenantGateDeps, type Admitted } from "./tenant-gate.js";
export { LimitExceededError } from "./limit-exceeded.js";
export { headerListFromRaw, headerListFromRecord, type HeaderList } from "./request-headers.js";
export type { RawRequest } from "./hmac/hmac-verifier.js";
export type { AuthScheme, SecurityObserver, StoreName } from "./security-observer.js";
export { AuthFailure, authReasonOf, type AuthReason } from "./auth-failure.js";
export type { StoreFailureMode } from "./store-guard.js";

// The signing scheme, for SDKs, tools and tests (docs/SECURITY.md).
export {
  SIGNING_VERSION,
  bodySha256Hex,
  canonicalContentType,
  canonicalQuery,
  stringToSign,
  type SignedParts,
} from "./hmac/canonical-request.js";
export { SIGNATURE_PREFIX, newNonce, signRequest, signature, type SignatureHeaders } from "./hmac/sign-request.js";
export { HEADER_PATTERNS } from "./hmac/signature-headers.js";
export { MIN_SECRET_BYTES } from "./hmac/key-ring.js";

// The building blocks, for other libraries and tests.
export { HmacVerifier, type HmacVerifierDeps } from "./hmac/hmac-verifier.js";
export { buildKeyRing, type KeyEntry, type KeyRing } from "./hmac/key-ring.js";
export type { NonceClaim, NonceStore, NonceWindow } from "./nonce-store.js";
export { MemoryNonceStore } from "./nonce-store/memory.js";
export { RedisNonceStore } from "./nonce-store/redis.js";
export type { RateLimiter } from "./rate-limiter.js";
export { gcra, gcraParams, type RateDecision, type RateLimitPolicy } from "./rate-limit/gcra.js";
export { MemoryRateLimiter } from "./rate-limit/memory.js";
export { GCRA_LUA, RedisRateLimiter } from "./rate-limit/redis.js";
export { RATE_POLICY_NAME, rateLimitHeaders } from "./rate-limit/rate-limit-headers.js";
export { msUntilNextUtcDay, utcDay, type QuotaDecision, type QuotaHold, type TokenQuotaStore } from "./quota/token-quota.js";
export { MemoryTokenQuotaStore } from "./quota/memory.js";
export { RedisTokenQuotaStore } from "./quota/redis.js";
export { JwtVerifier, type JwtVerifierDeps } from "./jwt/jwt-verifier.js";
export { ApiKeyVerifier, type ApiKeyVerifierDeps } from "./api-key/api-key-verifier.js";
export { RemoteKeySet, fileKeySet, JwksUnavailableError, type KeySet, type RemoteKeySetOptions } from "./jwt/key-set.js";
