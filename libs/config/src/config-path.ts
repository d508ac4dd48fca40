/** One step of a path into the config: a key of a table or an index into a list. */
export type PathSegment = string | number;

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * Formats a path the way an operator reads it in TOML terms: `providers[1].base_url`,
 * `tenancy.tenants.vvtv.keys[0].secret_env`. Keys that are not bare TOML keys are quoted.
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") {
      out += `[${segment}]`;
      continue;
    }
    const key = BARE_KEY.test(segment) ? segment : JSON.stringify(segment);
    out += out === "" ? key : `.${key}`;
  }
  return out;
}

/** Normalises a zod path (PropertyKey[]) into config path segments. */
export function toPathSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
}
