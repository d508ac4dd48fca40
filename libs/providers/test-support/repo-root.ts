import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root, for the models and engine scripts the specs use. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
