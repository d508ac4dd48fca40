import type { CallOutcome, EngineView, RaceProvider } from "../race/hedged-race.js";

export interface LiveProvider extends RaceProvider {
  /** The engine's base URL. */
  readonly url: string;
  /** The model's name on the engine. */
  readonly model: string;
  /** The engine's concurrency limit (max_concurrency). */
  readonly slots: number;
}

/**
 * Calls engines over HTTP as the pool's Ollama driver does (POST /api/generate,
 * stream false, a seed, keep_alive) and keeps the pool-side view hedgePlan
 * needs: calls in flight per engine, and which models are cold. A model the
 * bench unloads is cold until it answers again. (The mock engine lists a
 * model in /api/ps from the moment a call starts loading it, so polling it
 * would never show the cold window; a real pool would combine /api/ps with
 * the keep_alive it sets.)
 */
export class OllamaUpstream implements EngineView {
  readonly #providers: Map<string, LiveProvider>;
  readonly #slots = new Map<string, number>();
  readonly #inFlight = new Map<string, number>();
  readonly #cold = new Set<string>();

  constructor(providers: readonly LiveProvider[]) {
    this.#providers = new Map(providers.map((p) => [p.name, p]));
    for (const p of providers) this.#slots.set(p.engine, p.slots);
  }

  start(provider: RaceProvider, onDone: (outcome: CallOutcome) => void, prompt: string): () => void {
    const p = this.#providers.get(provider.name)!;
    const controller = new AbortController();
    this.#add(p.engine, 1);
    let open = true;
    const close = () => {
      if (open) this.#add(p.engine, -1);
      open = false;
    };
    fetch(`${p.url}/api/generate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: p.model, prompt, stream: false, keep_alive: -1, options: { num_predict: 16, seed: 7 } }),
      signal: controller.signal,
    })
      .then(async (res) => {
        const body = (await res.json()) as { response?: unknown };
        close();
        const ok = res.ok && typeof body.response === "string";
        if (ok) this.#cold.delete(p.name);
        onDone(ok ? "ok" : "error");
      })
      .catch(() => {
        close();
        if (!controller.signal.aborted) onDone("error");
      });
    return () => {
      close();
      controller.abort();
    };
  }

  /** Unloads the provider's model (if idle), as memory pressure on the engine would. */
  async evict(provider: string): Promise<void> {
    const p = this.#providers.get(provider)!;
    await unload(p);
    this.#cold.add(provider);
  }

  engineHasFreeSlot(engine: string): boolean {
    return (this.#inFlight.get(engine) ?? 0) < (this.#slots.get(engine) ?? 1);
  }

  isQueued(engine: string): boolean {
    return (this.#inFlight.get(engine) ?? 0) > (this.#slots.get(engine) ?? 1);
  }

  isResident(provider: string): boolean {
    return !this.#cold.has(provider);
  }

  #add(engine: string, n: number): void {
    this.#inFlight.set(engine, (this.#inFlight.get(engine) ?? 0) + n);
  }
}

/** Ollama's way to load (keep_alive -1: for good) or unload (keep_alive 0) a model: a generate call without a prompt. */
export async function loadModel(p: LiveProvider, keepAlive: -1 | 0 = -1): Promise<void> {
  const res = await fetch(`${p.url}/api/generate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: p.model, prompt: "", stream: false, keep_alive: keepAlive }),
  });
  await res.arrayBuffer();
}

function unload(p: LiveProvider): Promise<void> {
  return loadModel(p, 0);
}
