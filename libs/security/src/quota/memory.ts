import type { Clock } from "@llm-pool/core";
import { utcDay, type QuotaDecision, type TokenQuotaStore } from "./token-quota.js";

/**
 * Daily counts in this process's memory (rate_limit_store = "memory", and
 * the local fallback of the Redis store). Check and add happen in one
 * synchronous step, so concurrent reservations are exact here too.
 */
export class MemoryTokenQuotaStore implements TokenQuotaStore {
  readonly #clock: Clock;
  #day = "";
  #used = new Map<string, number>();

  constructor(options: { clock: Clock }) {
    this.#clock = options.clock;
  }

  async usedToday(tenantId: string): Promise<number> {
    this.#roll();
    return this.#used.get(tenantId) ?? 0;
  }

  async reserve(tenantId: string, tokens: number, limit: number): Promise<QuotaDecision> {
    this.#roll();
    const used = this.#used.get(tenantId) ?? 0;
    if (used >= limit) return { admitted: false, used };
    this.#used.set(tenantId, used + tokens);
    const day = this.#day;
    return { admitted: true, hold: { settle: async (usedTokens) => this.#add(day, tenantId, usedTokens - tokens) } };
  }

  #add(day: string, tenantId: string, delta: number): void {
    this.#roll();
    // A day that has ended was forgotten with its count; its settlements change nothing.
    if (day !== this.#day) return;
    this.#used.set(tenantId, Math.max(0, (this.#used.get(tenantId) ?? 0) + delta));
  }

  #roll(): void {
    const day = utcDay(this.#clock.now());
    if (day !== this.#day) {
      this.#day = day;
      this.#used = new Map();
    }
  }
}
