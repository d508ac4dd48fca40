import type { EngineState } from "./engine.js";
import type { GenerationInput, Wire } from "./wire.js";

/** A request body the API refuses, with the field at fault when there is one. */
export interface BadRequest {
  error: string;
  param?: string;
}

export interface ParsedGeneration {
  input: GenerationInput;
  wire: Wire;
}

export type Body = Record<string, unknown>;

/**
 * One engine API, declared rather than coded: GET routes produce a JSON body from the engine's
 * state; POST routes turn a request body into a generation (or refuse it). The server does the rest.
 */
export interface ApiRoutes {
  api: "ollama" | "openai";
  badRequest(problem: BadRequest): unknown;
  get: Record<string, (engine: EngineState) => unknown>;
  post: Record<string, (body: Body) => ParsedGeneration | BadRequest>;
}

export const isBody = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);

/** An optional finite number, or a BadRequest naming the field. */
export function optionalNumber(body: Body, key: string, param = key): number | undefined | BadRequest {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  return { error: `invalid ${param}: expected a number, got ${JSON.stringify(v)}`, param };
}

export const isBadRequest = (v: unknown): v is BadRequest => isBody(v) && typeof v["error"] === "string";
