// A small app on @vvtv/llmpool-client: widens a search, then asks for site tactics, printing each
// answer and who won. Run from the repository root against a local pool:
//   npm run example -w @vvtv/llmpool-client -- "feira livre"
// LLMPOOL_URL (default http://127.0.0.1:7070); LLMPOOL_KEY_ID and LLMPOOL_SECRET when the pool signs.
import { createLlmPoolClient, LlmPoolError, Task } from "@vvtv/llmpool-client";

const { LLMPOOL_URL, LLMPOOL_KEY_ID, LLMPOOL_SECRET } = process.env;
const client = createLlmPoolClient({
  baseUrl: LLMPOOL_URL ?? "http://127.0.0.1:7070",
  ...(LLMPOOL_KEY_ID && LLMPOOL_SECRET ? { hmac: { keyId: LLMPOOL_KEY_ID, secret: LLMPOOL_SECRET } } : {}),
});
const topic = process.argv.slice(2).join(" ") || "feira livre";

try {
  const terms = await client.infer({ task: Task.EXPAND_QUERIES, prompt: topic, projectId: "planner" });
  console.log(`terms: ${terms.output}`);
  const tactics = await client.infer({ task: Task.JUDGE, input: { criterion: `best search for ${topic}`, candidates: JSON.parse(terms.output).must_include ?? [] } });
  console.log(`verdict: ${tactics.output}`);
  console.log(`answered by ${tactics.winnerModel} in ${tactics.durationMs} ms`);
} catch (error) {
  if (!(error instanceof LlmPoolError)) throw error;
  console.error(`app: ${error.message}`);
  process.exitCode = 1;
}
