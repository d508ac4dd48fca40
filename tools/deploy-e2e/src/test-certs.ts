import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { GATEWAY_DIR } from "./repo-paths.js";

const run = promisify(execFile);

export interface CertPair {
  readonly cert: string;
  readonly key: string;
}

/** Paths of the certificates gateway/nginx/make-certs.sh writes (see that script for who signs what). */
export interface TestCerts {
  readonly dir: string;
  /** Signs the gateway's certificate: what clients trust. */
  readonly edgeCa: string;
  /** Signs the pool's certificate and the gateway's client certificate: what the pool and gateway trust. */
  readonly meshCa: string;
  readonly gateway: CertPair;
  readonly gatewayClient: CertPair;
  readonly pool: CertPair;
  /** The DNS name in the pool's certificate, which the gateway verifies. */
  readonly poolName: string;
  /** PEM text of `path`. */
  pem(path: string): Buffer;
}

export const POOL_CERT_NAME = "pool.llm-pool.internal";

/** Generates fresh certificates into `dir` with the shipped script (openssl). */
export async function makeTestCerts(dir: string): Promise<TestCerts> {
  await run("bash", [join(GATEWAY_DIR, "make-certs.sh"), dir, "localhost", POOL_CERT_NAME]);
  return certsIn(dir);
}

/** The certificates make-certs.sh wrote into `dir` (for POOL_CERT_NAME). */
export function certsIn(dir: string): TestCerts {
  const pair = (name: string): CertPair => ({ cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) });
  return {
    dir,
    edgeCa: join(dir, "edge-ca.crt"),
    meshCa: join(dir, "mesh-ca.crt"),
    gateway: pair("gateway"),
    gatewayClient: pair("gateway-client"),
    pool: pair("pool"),
    poolName: POOL_CERT_NAME,
    pem: (path) => readFileSync(path),
  };
}
