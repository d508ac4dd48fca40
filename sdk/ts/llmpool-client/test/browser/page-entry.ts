// What the browser test bundles (esbuild, platform browser) and loads into a page: the client from
// the package's own entry point, put on `window` for the test to drive, and a count of the HMAC
// signatures Web Crypto made, so the test sees the signer take the SubtleCrypto path.
import { createLlmPoolClient, LlmPoolError, Task } from "../../src/index.js";

export interface PageApi {
  readonly createLlmPoolClient: typeof createLlmPoolClient;
  readonly LlmPoolError: typeof LlmPoolError;
  readonly Task: typeof Task;
  /** HMAC signatures made by crypto.subtle.sign since the page loaded. */
  hmacSignatures(): number;
}

let signatures = 0;
const sign = SubtleCrypto.prototype.sign;
SubtleCrypto.prototype.sign = function countedSign(this: SubtleCrypto, ...args: Parameters<SubtleCrypto["sign"]>) {
  const [algorithm] = args;
  if ((typeof algorithm === "string" ? algorithm : algorithm.name) === "HMAC") signatures++;
  return sign.apply(this, args);
};

const api: PageApi = { createLlmPoolClient, LlmPoolError, Task, hmacSignatures: () => signatures };
(globalThis as unknown as { llmpool: PageApi }).llmpool = api;
