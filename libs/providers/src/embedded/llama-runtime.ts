import type { EmbeddedProviderConfig } from "@llm-pool/config";
import type { OutputSpec } from "@llm-pool/core";
import type { Llama, LlamaContextSequence, LlamaGrammar, LlamaModel } from "node-llama-cpp";
import type { ProviderLogger } from "../driver.js";
import { schemaGrammar } from "./json-schema-grammar.js";

/** A model loaded in process with its one context sequence. */
export interface LoadedModel {
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly sequence: LlamaContextSequence;
  /** node-llama-cpp's LlamaChatSession class, from the lazily imported module. */
  readonly ChatSession: typeof import("node-llama-cpp").LlamaChatSession;
}

/**
 * Loads the model: llama.cpp's prebuilt CPU binary only (no GPU probing, never a
 * source build, which would need the network), `threads` for both the process
 * cap and the context (on small CPU machines one thread is far faster than the
 * default of four), and one sequence, since calls are serialized anyway.
 * node-llama-cpp is imported here, so pools without embedded models never load it.
 */
export async function loadModel(config: EmbeddedProviderConfig, logger: ProviderLogger): Promise<LoadedModel> {
  const { getLlama, LlamaChatSession, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({
    gpu: false,
    build: "never",
    maxThreads: config.threads,
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => logger.debug({ provider: config.name, level, message: message.slice(0, 200) }, "llama.cpp"),
  });
  try {
    const model = await llama.loadModel({ modelPath: config.model_path });
    const context = await model.createContext({ contextSize: config.context_size, threads: config.threads, sequences: 1 });
    return { llama, model, sequence: context.getSequence(), ChatSession: LlamaChatSession };
  } catch (error) {
    await llama.dispose();
    throw error;
  }
}

// Schemas come from task config: a handful per model, so the cache stays small.
const MAX_GRAMMARS = 32;

/**
 * The grammar that constrains an output: none for text, llama.cpp's JSON grammar
 * for json, the schema's grammar (schemaGrammar: bounds and type lists included)
 * for json_schema. A schema that cannot become a grammar falls back to plain
 * JSON (the ensemble still validates it).
 */
export class GrammarCache {
  readonly #grammars = new Map<string, Promise<LlamaGrammar>>();
  readonly #llama: Llama;
  readonly #onFallback: (error: unknown) => void;

  constructor(llama: Llama, onFallback: (error: unknown) => void) {
    this.#llama = llama;
    this.#onFallback = onFallback;
  }

  async for(output: OutputSpec): Promise<LlamaGrammar | undefined> {
    if (output.kind === "text") return undefined;
    const key = output.kind === "json" ? "json" : JSON.stringify(output.schema);
    let grammar = this.#grammars.get(key);
    if (!grammar) {
      grammar = output.kind === "json" ? this.#llama.getGrammarFor("json") : this.#schemaGrammar(output.schema);
      if (this.#grammars.size >= MAX_GRAMMARS) this.#grammars.delete(this.#grammars.keys().next().value!);
      this.#grammars.set(key, grammar);
      grammar.catch(() => this.#grammars.delete(key));
    }
    return grammar;
  }

  async #schemaGrammar(schema: Readonly<Record<string, unknown>>): Promise<LlamaGrammar> {
    try {
      const { gbnf, stopGenerationTriggers } = await schemaGrammar(this.#llama, schema);
      return await this.#llama.createGrammar({ grammar: gbnf, stopGenerationTriggers, trimWhitespaceSuffix: true });
    } catch (error) {
      this.#onFallback(error);
      return this.#llama.getGrammarFor("json");
    }
  }
}
