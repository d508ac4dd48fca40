import { access, constants } from "node:fs/promises";
import type { EmbeddedProviderConfig, TaskName } from "@llm-pool/config";
import type { ProviderResult, TextSink } from "@llm-pool/core";
import type { DeadlineAwareRequest, Driver, DriverContext } from "../driver.js";
import { ProviderError } from "../provider-error.js";
import { generate, type GenerationHooks } from "./generation.js";
import { GrammarCache, loadModel, type LoadedModel } from "./llama-runtime.js";
import { SerialQueue } from "./serial-queue.js";

interface Ready {
  readonly loaded: LoadedModel;
  readonly grammars: GrammarCache;
}

/**
 * A GGUF model run in the pool's process by llama.cpp (node-llama-cpp). The
 * model loads once, lazily or at warm-up; calls are serialized on its single
 * context sequence; close() waits for the running call, then frees the model.
 */
export class EmbeddedDriver implements Driver {
  readonly driver = "embedded";
  readonly name: string;
  readonly model: string;
  readonly engine: string;
  readonly #config: EmbeddedProviderConfig;
  readonly #context: DriverContext;
  readonly #hooks: GenerationHooks;
  readonly #queue = new SerialQueue();
  #ready: Promise<Ready> | undefined;
  #loaded = false;
  #loadError: unknown;
  #closed = false;

  constructor(config: EmbeddedProviderConfig, context: DriverContext, hooks: GenerationHooks = {}) {
    this.name = config.name;
    this.model = config.model;
    this.engine = config.engine;
    this.#config = config;
    this.#context = context;
    this.#hooks = hooks;
  }

  supports(task: TaskName): boolean {
    return this.#config.tasks.includes(task);
  }

  /** The model lives in this process: resident once loaded, until the provider is closed. */
  isResident(): boolean {
    return this.#loaded && !this.#closed;
  }

  infer(request: DeadlineAwareRequest, signal: AbortSignal): Promise<ProviderResult> {
    return this.#generate(request, signal, this.#hooks);
  }

  /** llama.cpp hands over text chunk by chunk as it samples; each goes to `onText` (R-API-6). */
  inferStream(request: DeadlineAwareRequest, signal: AbortSignal, onText: TextSink): Promise<ProviderResult> {
    return this.#generate(request, signal, streamingHooks(this.#hooks, onText));
  }

  /**
   * Healthy when the model is loaded, or not loaded yet but its file is
   * readable. After a failed load the probe loads again, so a provider whose
   * file comes back recovers without a config reload.
   */
  async probe(): Promise<void> {
    if (this.#closed) throw new ProviderError(this.name, "engine", "the provider is closed");
    if (this.#loaded) return;
    if (this.#loadError !== undefined) {
      try {
        await this.#load();
        return;
      } catch (error) {
        throw this.#error(error);
      }
    }
    try {
      await access(this.#config.model_path, constants.R_OK);
    } catch (error) {
      throw new ProviderError(this.name, "model_missing", "the model file is not readable", { cause: error });
    }
  }

  async warmUp(signal: AbortSignal): Promise<void> {
    try {
      await untilAborted(this.#load(), signal);
    } catch (error) {
      throw this.#error(error, signal);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.drain();
    const ready = await this.#ready?.catch(() => undefined);
    await ready?.loaded.llama.dispose();
  }

  async #generate(request: DeadlineAwareRequest, signal: AbortSignal, hooks: GenerationHooks): Promise<ProviderResult> {
    try {
      if (signal.aborted) throw signal.reason;
      const ready = await untilAborted(this.#load(), signal);
      return await this.#queue.run(() => generate(ready.loaded, ready.grammars, this.model, request, signal, hooks, this.#config.repeat_penalty), signal);
    } catch (error) {
      throw this.#error(error, signal);
    }
  }

  #load(): Promise<Ready> {
    if (this.#closed) return Promise.reject(new ProviderError(this.name, "engine", "the provider is closed"));
    this.#ready ??= loadModel(this.#config, this.#context.logger).then(
      (loaded) => {
        this.#loaded = true;
        this.#loadError = undefined;
        this.#context.logger.info({ provider: this.name, model: this.model }, "embedded model loaded");
        const grammars = new GrammarCache(loaded.llama, () =>
          this.#context.logger.warn({ provider: this.name }, "json_schema has no llama.cpp grammar; constraining to plain JSON"),
        );
        return { loaded, grammars };
      },
      (error: unknown) => {
        // Forget the failure so a later call or warm-up tries again (the file may be fixed).
        this.#ready = undefined;
        this.#loadError = error;
        throw error;
      },
    );
    return this.#ready;
  }

  #error(error: unknown, signal?: AbortSignal): ProviderError {
    if (error instanceof ProviderError) return error;
    if (signal?.aborted) return ProviderError.fromAbort(this.name, signal.reason);
    if ((error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
      return new ProviderError(this.name, "model_missing", "the model file does not exist", { cause: error });
    }
    if (!this.#loaded) return new ProviderError(this.name, "engine", "the model failed to load", { cause: error });
    return ProviderError.from(error, this.name, signal);
  }
}

/** The driver's hooks, with every non-empty text chunk also going to `onText`. */
function streamingHooks(hooks: GenerationHooks, onText: TextSink): GenerationHooks {
  return {
    onTextChunk(text) {
      hooks.onTextChunk?.(text);
      if (text !== "") onText(text);
    },
  };
}

/** Waits for `promise`, but rejects with the signal's reason as soon as it aborts (the work itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

export function createEmbeddedDriver(config: EmbeddedProviderConfig, context: DriverContext): Driver {
  return new EmbeddedDriver(config, context);
}
