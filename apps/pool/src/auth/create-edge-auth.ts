import type { ConfigSnapshot } from "@llm-pool/config";
import type { Security } from "@llm-pool/security";
import { accessFor, type EdgeAuth } from "./edge-auth.js";

/**
 * The EdgeAuth of the running pool: the security layer's authenticator and
 * tenant gate, with the public list of the snapshot in force. Without an
 * identity (auth = "none") queries are not rate limited: limits belong to
 * tenants, and there is none.
 */
export function createEdgeAuth(deps: { security: Security; config: () => ConfigSnapshot }): EdgeAuth {
  return {
    accessFor: (path) => accessFor(path, deps.config().server.metrics_public),
    authenticate: (request, scope) => deps.security.authenticator.authenticate(request, scope),
    async admit(identity, query) {
      if (!identity) return {};
      return (await deps.security.tenantGate.admit(identity, query?.projectId ?? "")).headers;
    },
  };
}
