// The quality check of the default model: for each task of a config, ten prompts through one embedded
// provider exactly as the pool sends them (task instruction as system prompt, the task's schema as
// grammar, its sampling), scored for a schema-valid answer and for an answer about the prompt.
//
//   node --conditions=@llm-pool/source --import tsx tools/models/quality-check.ts \
//     [--config configs/local.toml] [--provider NAME] [--model models/OTHER.gguf] [--tasks a,b]
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { TASK_NAMES, loadConfig, type EmbeddedProviderConfig, type TaskName } from "@llm-pool/config";
import { renderPrompt, systemClock, type OutputSpec } from "@llm-pool/core";
import { createOutputValidator } from "@llm-pool/ensemble";
import { EmbeddedDriver } from "@llm-pool/providers";
import { QUALITY_PROMPTS } from "./quality-prompts.js";

const { values } = parseArgs({
  options: {
    config: { type: "string", default: "configs/local.toml" },
    provider: { type: "string" },
    model: { type: "string" },
    tasks: { type: "string" },
    count: { type: "string", default: "10" },
  },
});

const config = await loadConfig(resolve(values.config!));
const embedded = config.providers.filter((p): p is EmbeddedProviderConfig => p.driver === "embedded");
const chosen = values.provider ? embedded.find((p) => p.name === values.provider) : embedded[0];
if (!chosen) throw new Error(`no embedded provider ${values.provider ?? ""} in ${values.config}`);
const provider: EmbeddedProviderConfig = values.model
  ? { ...chosen, model_path: resolve(values.model), model: basename(values.model, ".gguf") }
  : chosen;
const tasks = (values.tasks?.split(",") ?? TASK_NAMES) as TaskName[];
const count = Number(values.count);

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const driver = new EmbeddedDriver(provider, { env: {}, clock: systemClock, logger: silent as never, fetch });
const validator = createOutputValidator();
console.log(`model ${provider.model} (${provider.model_path}), provider ${provider.name}: threads ${provider.threads}, repeat_penalty ${provider.repeat_penalty}`);
const loadStart = performance.now();
await driver.warmUp(new AbortController().signal);
console.log(`loaded in ${Math.round(performance.now() - loadStart)} ms\n`);
console.log("| task | schema-valid | about the prompt | median s | max s | mean tokens |");
console.log("|---|---|---|---|---|---|");

const samples: string[] = [];
const totals = { valid: 0, relates: 0, calls: 0 };
for (const name of tasks) {
  const task = config.tasks[name];
  const output: OutputSpec =
    task.output === "json_schema" ? { kind: "json_schema", schema: task.schema as Record<string, unknown> } : task.output === "json" ? { kind: "json" } : { kind: "text" };
  let valid = 0;
  let relates = 0;
  let tokens = 0;
  const seconds: number[] = [];
  for (const { prompt, expect } of QUALITY_PROMPTS[name].slice(0, count)) {
    const rendered = renderPrompt(task, prompt, undefined);
    const start = performance.now();
    const result = await driver.infer(
      { task: name, ...rendered, maxTokens: task.max_tokens, temperature: task.temperature, seed: task.seed, output },
      new AbortController().signal,
    );
    seconds.push((performance.now() - start) / 1000);
    tokens += result.usage.completionTokens;
    const ok = validator.check(result.text, output).ok;
    if (ok) valid++;
    const text = result.text.toLowerCase();
    if (ok && expect.some((word) => text.includes(word.toLowerCase()))) relates++;
    if (samples.length < tasks.indexOf(name) + 1) samples.push(`${name}: ${prompt}\n  -> ${result.text.replace(/\s+/g, " ").slice(0, 300)}`);
  }
  seconds.sort((a, b) => a - b);
  const n = seconds.length;
  totals.valid += valid;
  totals.relates += relates;
  totals.calls += n;
  console.log(`| ${name} | ${valid}/${n} | ${relates}/${n} | ${seconds[Math.floor(n / 2)]!.toFixed(1)} | ${seconds[n - 1]!.toFixed(1)} | ${Math.round(tokens / n)} |`);
}
console.log(`| all | ${totals.valid}/${totals.calls} | ${totals.relates}/${totals.calls} | | | |\n`);
console.log(samples.join("\n"));
await driver.close();
