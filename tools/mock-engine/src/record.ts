import type { Clock } from "./clock.js";
import type { FaultKind } from "./scenario.js";

/** What became of a request: still running, answered, abandoned by the client, hit by a fault, or refused (4xx). */
export type Fate = "pending" | "completed" | "cancelled" | "fault" | "error";

export interface PromptSummary {
  words: number;
  chars: number;
  /** The first characters of the prompt, to tell requests apart in a dump. */
  preview: string;
  messages?: number;
}

export interface RecordEntry {
  /** Arrival order, from 1. */
  seq: number;
  /** Arrival time (ISO 8601, from the engine's clock). */
  at: string;
  method: string;
  route: string;
  api: "ollama" | "openai";
  model?: string;
  stream?: boolean;
  prompt?: PromptSummary;
  seed?: number;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  format?: "text" | "json" | "json_schema";
  keep_alive?: string | number;
  fault?: FaultKind;
  fate: Fate;
  status?: number;
  /** The request had to wait for a slot. */
  queued?: boolean;
  /** Order in which requests got a slot, from 1. */
  start_order?: number;
  /** The model was not resident and the request paid its load. */
  cold?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  finished_at?: string;
  duration_ms?: number;
}

export type RecordFields = Omit<RecordEntry, "seq" | "at" | "fate">;

/** Every API request the engine saw and its fate, in arrival order. */
export class RequestRecord {
  readonly #clock: Clock;
  readonly #listeners = new Set<() => void>();
  #entries: RecordEntry[] = [];
  #arrivals: number[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(fields: RecordFields): RecordEntry {
    const now = this.#clock.now();
    const entry: RecordEntry = { seq: this.#entries.length + 1, at: new Date(now).toISOString(), ...fields, fate: "pending" };
    this.#entries.push(entry);
    this.#arrivals.push(now);
    this.#changed();
    return entry;
  }

  update(entry: RecordEntry, patch: Partial<RecordEntry>): void {
    Object.assign(entry, patch);
    this.#changed();
  }

  /** Gives a pending entry its fate; the first fate wins (a fault that closes the socket is not also "cancelled"). */
  settle(entry: RecordEntry, fate: Exclude<Fate, "pending">, patch: Partial<RecordEntry> = {}): boolean {
    if (entry.fate !== "pending") return false;
    const now = this.#clock.now();
    const arrived = this.#arrivals[entry.seq - 1] ?? now;
    Object.assign(entry, patch, { fate, finished_at: new Date(now).toISOString(), duration_ms: now - arrived });
    this.#changed();
    return true;
  }

  /** A copy of the entries, safe to keep. */
  list(): RecordEntry[] {
    return structuredClone(this.#entries);
  }

  clear(): void {
    this.#entries = [];
    this.#arrivals = [];
    this.#changed();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the entries once `predicate` holds; rejects after `timeoutMs` of real time. */
  waitFor(predicate: (entries: RecordEntry[]) => boolean, timeoutMs = 5000): Promise<RecordEntry[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const entries = this.list();
        if (!predicate(entries)) return false;
        clearTimeout(timer);
        unsubscribe();
        resolve(entries);
        return true;
      };
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`record did not reach the expected state within ${timeoutMs} ms: ${JSON.stringify(this.list())}`));
      }, timeoutMs);
      const unsubscribe = this.onChange(check);
      check();
    });
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
