import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, from this file's place in tools/deploy-e2e/src (or dist). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The shipped gateway configuration the tests run: gateway/nginx. */
export const GATEWAY_DIR = join(REPO_ROOT, "gateway/nginx");
