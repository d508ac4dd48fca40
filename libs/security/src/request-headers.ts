/**
 * Every value a request carries for a header name, in arrival order. Node's
 * `req.headers` (and the fetch `Headers`) join repeated headers with ", ",
 * which would let "a, b" pass as one value; the auth layer reads the raw list
 * so a duplicated header is seen as two.
 */
export type HeaderList = (name: string) => readonly string[];

/** A HeaderList over Node's `rawHeaders` ([name, value, name, value, ...]). */
export function headerListFromRaw(rawHeaders: readonly string[]): HeaderList {
  const byName = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const values = byName.get(name);
    if (values) values.push(rawHeaders[i + 1]!);
    else byName.set(name, [rawHeaders[i + 1]!]);
  }
  return (name) => byName.get(name.toLowerCase()) ?? [];
}

/** A HeaderList over a plain record (tests, SDK helpers); an array value is a repeated header. */
export function headerListFromRecord(headers: Readonly<Record<string, string | readonly string[] | undefined>>): HeaderList {
  const raw: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of typeof value === "string" ? [value] : value) raw.push(name, one);
  }
  return headerListFromRaw(raw);
}
