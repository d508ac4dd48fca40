import * as z from "zod";

/** Provider, tenant, project and key names: safe in metric labels, log fields and URLs. */
export const NAME_PATTERN = /^[a-z0-9._-]{1,64}$/;
export const name = () =>
  z.string().regex(NAME_PATTERN, { error: "must be 1-64 characters of a-z, 0-9, '.', '_' or '-'" });

/** Profile names are written in capitals in the seed (FAST-LOW), so they get a wider alphabet. */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** The name of an environment variable (never its value). */
export const envName = () =>
  z.string().regex(ENV_NAME_PATTERN, {
    error: "must be the name of an environment variable (letters, digits and '_', not starting with a digit)",
  });

export const intIn = (min: number, max: number) => z.int().min(min).max(max);
export const numberIn = (min: number, max: number) => z.number().min(min).max(max);

/** A file path as written: relative to the config file's directory or absolute. Resolved at load. */
export const filePath = () => z.string().min(1, { error: "must not be empty" }).max(4096);

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** Credentials in a URL end up in logs and metrics labels; they belong in an env var. */
function hasNoCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username === "" && url.password === "";
  } catch {
    return true;
  }
}

export const httpUrl = () =>
  z
    .string()
    .refine(isHttpUrl, { error: "must be an http(s) URL" })
    .refine(hasNoCredentials, { error: "must not carry credentials; reference them with an *_env field" });
