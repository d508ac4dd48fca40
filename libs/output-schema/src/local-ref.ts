/** What a `$ref` points at inside the same schema document, or why it cannot be followed. */
export type RefTarget = { readonly found: true; readonly target: unknown } | { readonly found: false; readonly reason: string };

/**
 * Resolves a local reference (`#` or `#/json/pointer`, RFC 6901 inside a URI
 * fragment) against the schema's root. Anything else — a URL, a relative
 * document, an anchor name — is refused: the validator never loads another
 * document, and anchors are refused with `$anchor`.
 */
export function resolveLocalRef(root: unknown, ref: string): RefTarget {
  if (!ref.startsWith("#")) return { found: false, reason: "only local references (#/…) are allowed" };
  const fragment = ref.slice(1);
  if (fragment === "") return { found: true, target: root };
  if (!fragment.startsWith("/")) return { found: false, reason: "anchor references are not supported; use #/json/pointer" };
  let current: unknown = root;
  for (const raw of fragment.slice(1).split("/")) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    } catch {
      return { found: false, reason: "is not a valid URI fragment" };
    }
    if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(token) && Number(token) < current.length) {
      current = current[Number(token)];
    } else if (typeof current === "object" && current !== null && !Array.isArray(current) && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return { found: false, reason: "points at nothing in the schema" };
    }
  }
  return { found: true, target: current };
}
