/** A value whose every nested object and array is read-only, at the type level too. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * Freezes a plain data tree in place and returns it. A snapshot is shared by every request that
 * took it, so nothing may change it after load; freezing turns an accidental write into a TypeError
 * (ESM code is strict) instead of a change that leaks across requests.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}
