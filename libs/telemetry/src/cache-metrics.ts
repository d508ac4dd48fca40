import { Counter, Gauge, type Registry } from "prom-client";

/**
 * What the answer cache and the idempotency stage did (docs/CACHE.md). The
 * method names match libs/cache's CacheObserver, so the composition root can
 * hand this object over as it is (with a log line for store failures).
 */
export interface CacheMetrics {
  hit(task: string): void;
  miss(task: string): void;
  coalesced(task: string): void;
  bypassed(task: string, reason: string): void;
  stored(task: string, bytes: number): void;
  notStored(task: string, reason: string): void;
  storeFailed(store: string, operation: string): void;
  idempotency(outcome: string): void;
}

export function createCacheMetrics(registry: Registry): CacheMetrics {
  const lookups = new Counter({
    name: "llmpool_cache_lookups_total",
    help: "Answer cache lookups by task and outcome (hit, miss, coalesced).",
    labelNames: ["task", "outcome"] as const,
    registers: [registry],
  });
  const counts = { hit: 0, miss: 0, coalesced: 0 };
  new Gauge({
    name: "llmpool_cache_hit_ratio",
    help: "Share of cache lookups answered without a new ensemble run ((hit + coalesced) / all), since start.",
    registers: [registry],
    collect() {
      const served = counts.hit + counts.coalesced;
      const all = served + counts.miss;
      this.set(all === 0 ? 0 : served / all);
    },
  });
  const bypassed = new Counter({
    name: "llmpool_cache_bypassed_total",
    help: "Queries that did not consult the cache, by task and reason (disabled, task_off, no_store).",
    labelNames: ["task", "reason"] as const,
    registers: [registry],
  });
  const stores = new Counter({
    name: "llmpool_cache_stores_total",
    help: "Answers stored in the cache, by task.",
    labelNames: ["task"] as const,
    registers: [registry],
  });
  const storedBytes = new Counter({
    name: "llmpool_cache_stored_bytes_total",
    help: "Bytes of answers stored in the cache (protobuf binary), by task.",
    labelNames: ["task"] as const,
    registers: [registry],
  });
  const notStored = new Counter({
    name: "llmpool_cache_not_stored_total",
    help: "Answers computed but not stored, by task and reason (not_cacheable, too_large, store_down).",
    labelNames: ["task", "reason"] as const,
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: "llmpool_cache_store_errors_total",
    help: "Redis outages met by the cache and idempotency stores (the first failed call of each, then one per hold-down while it lasts), by store and operation.",
    labelNames: ["store", "operation"] as const,
    registers: [registry],
  });
  const idempotency = new Counter({
    name: "llmpool_idempotency_total",
    help: "Queries with a client request_id by what the idempotency stage did (first, replayed, waited, conflict, in_flight, bypassed, refused).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const lookup = (task: string, outcome: keyof typeof counts) => {
    counts[outcome]++;
    lookups.inc({ task, outcome });
  };
  return {
    hit: (task) => lookup(task, "hit"),
    miss: (task) => lookup(task, "miss"),
    coalesced: (task) => lookup(task, "coalesced"),
    bypassed: (task, reason) => bypassed.inc({ task, reason }),
    stored(task, bytes) {
      stores.inc({ task });
      storedBytes.inc({ task }, bytes);
    },
    notStored: (task, reason) => notStored.inc({ task, reason }),
    storeFailed: (store, operation) => storeErrors.inc({ store, operation }),
    idempotency: (outcome) => idempotency.inc({ outcome }),
  };
}
