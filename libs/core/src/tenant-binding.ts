import type { Query } from "@llm-pool/contract";
import { Code } from "./code.js";
import { PoolError } from "./pool-error.js";
import type { Identity } from "./infer-service.js";

export interface TenantScope {
  readonly tenant: string;
  readonly project: string;
}

/** Used when auth is configured off and the query names no tenant or project. */
export const DEFAULT_SCOPE: TenantScope = { tenant: "default", project: "default" };

/**
 * The identity decides tenant and project (R-SEC-4). A query naming another
 * tenant, or a project the identity does not hold, is refused; the message
 * does not say which check failed (the reason goes to the logs).
 */
export function bindTenant(query: Query, identity: Identity | undefined): TenantScope {
  if (!identity) {
    return { tenant: query.tenantId || DEFAULT_SCOPE.tenant, project: query.projectId || DEFAULT_SCOPE.project };
  }
  const project = query.projectId || identity.projectIds[0];
  const tenantOk = query.tenantId === "" || query.tenantId === identity.tenantId;
  if (!tenantOk || project === undefined || !identity.projectIds.includes(project)) {
    throw new PoolError(Code.PermissionDenied, "this identity may not run queries for the requested tenant or project", {
      cause: new Error(
        tenantOk
          ? `project ${JSON.stringify(query.projectId)} is not held by ${identity.principal}`
          : `tenant ${JSON.stringify(query.tenantId)} does not match ${identity.principal}'s tenant ${identity.tenantId}`,
      ),
    });
  }
  return { tenant: identity.tenantId, project };
}
