// Test support for the deployment: certificates (openssl), the shipped NGINX gateway, pool processes.
export { freePort } from "./free-port.js";
export { GATEWAY_DIR, REPO_ROOT } from "./repo-paths.js";
export { certsIn, makeTestCerts, POOL_CERT_NAME, type CertPair, type TestCerts } from "./test-certs.js";
export { siteFiles, startGateway, type Gateway, type GatewayOptions } from "./nginx-gateway.js";
export { POOL_COMMAND, startPoolProcess, type PoolProcess } from "./pool-process.js";
export { KEY_B, KEY_ENV, KEY_ID, METERED, METRICS_KEY, REDIS_URL_ENV, TENANT, poolConfig, type PoolConfigOptions } from "./pool-config.js";
export { httpsRequest, type HttpsResponse, type TlsClientOptions } from "./https-client.js";
export { grpcClient, inferBody, inferRequest, signedRestHeaders, signingInterceptor, type TenantKey } from "./signed-client.js";
export { startDeployment, startPools, type Deployment, type DeploymentOptions, type MockEngine, type PoolSet } from "./deployment.js";
export { closedLoop, type LoopOutcome } from "./closed-loop.js";
