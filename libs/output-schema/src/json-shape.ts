/**
 * Checks the size of a parsed JSON value without recursion (a value nested a
 * hundred thousand levels deep must not overflow the stack that measures it).
 * Returns what is over the limit, or undefined.
 */
export function measureJson(value: unknown, maxDepth: number, maxValues: number): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  let values = 0;
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    values += 1;
    if (values > maxValues) return `has more than ${maxValues} JSON values`;
    if (typeof current !== "object" || current === null) continue;
    if (depth >= maxDepth) return `nests deeper than ${maxDepth} levels`;
    const children = Array.isArray(current) ? current : Object.values(current);
    if (values + stack.length + children.length > maxValues) return `has more than ${maxValues} JSON values`;
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
  return undefined;
}
