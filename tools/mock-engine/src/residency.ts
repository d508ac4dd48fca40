import type { Clock } from "./clock.js";

interface Resident {
  expiresAt: number;
  inUse: number;
}

export interface ResidentModel {
  model: string;
  expiresAt: number;
}

/**
 * Which models are loaded, as Ollama's /api/ps reports them. A model stays loaded while a request
 * uses it and for its keep-alive after the last one; expiry is checked lazily against the clock.
 */
export class Residency {
  readonly #clock: Clock;
  readonly #models = new Map<string, Resident>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  isResident(model: string): boolean {
    this.#evictExpired();
    return this.#models.has(model);
  }

  /** A request starts using the model (it is loaded by now). */
  begin(model: string): void {
    const resident = this.#models.get(model);
    if (resident) resident.inUse += 1;
    else this.#models.set(model, { expiresAt: this.#clock.now(), inUse: 1 });
  }

  /** A request is done with the model; it stays loaded for `keepAliveMs` from now (0 unloads it at once). */
  end(model: string, keepAliveMs: number): void {
    const resident = this.#models.get(model);
    if (!resident) return;
    resident.inUse = Math.max(0, resident.inUse - 1);
    resident.expiresAt = this.#clock.now() + keepAliveMs;
    this.#evictExpired();
  }

  unload(model: string): void {
    const resident = this.#models.get(model);
    if (resident && resident.inUse === 0) this.#models.delete(model);
    else if (resident) resident.expiresAt = this.#clock.now();
  }

  list(): ResidentModel[] {
    this.#evictExpired();
    return [...this.#models].map(([model, r]) => ({ model, expiresAt: r.expiresAt }));
  }

  clear(): void {
    this.#models.clear();
  }

  #evictExpired(): void {
    const now = this.#clock.now();
    for (const [model, r] of this.#models) {
      if (r.inUse === 0 && r.expiresAt <= now) this.#models.delete(model);
    }
  }
}
