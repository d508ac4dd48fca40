// The overhead bench's yardstick: the least a gateway in front of an OpenAI-compatible engine can do, written the
// obvious way with Hono (parse the JSON, `fetch` the engine, parse its answer, reply). The pool is compared with it
// in the same run. `node --conditions=@llm-pool/source --import tsx bare-forwarder.ts --upstream URL
// --route TASK=MODEL [--route ...]` prints its URL on the first line of stdout and serves until SIGTERM.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { upstream: { type: "string" }, route: { type: "string", multiple: true }, port: { type: "string", default: "0" } },
});
if (!values.upstream || !values.route?.length) {
  console.error("usage: bare-forwarder.ts --upstream URL --route TASK=MODEL [--route ...] [--port N]");
  process.exit(2);
}
const completions = `${values.upstream.replace(/\/+$/, "")}/v1/chat/completions`;
// The model each task goes to, as the pool's config routes it.
const models = new Map(values.route.map((route) => route.split("=", 2) as [string, string]));

interface ChatAnswer {
  readonly choices?: readonly { readonly message?: { readonly content?: string }; readonly finish_reason?: string }[];
  readonly usage?: unknown;
}

const app = new Hono();
app.post("/v1/infer", async (c) => {
  const query = await c.req.json<{ task?: string; prompt?: string; max_tokens?: number }>();
  const model = models.get(query.task ?? "");
  if (model === undefined) return c.json({ error: `no route for task ${query.task}` }, 400);
  const upstream = await fetch(completions, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: query.prompt ?? "" }], max_tokens: query.max_tokens ?? 32 }),
  });
  if (!upstream.ok) return c.json({ error: `upstream answered ${upstream.status}` }, 502);
  const answer = (await upstream.json()) as ChatAnswer;
  const choice = answer.choices?.[0];
  return c.json({ text: choice?.message?.content ?? "", finishReason: choice?.finish_reason ?? "", usage: answer.usage });
});

const server = serve({ fetch: app.fetch, port: Number(values.port), hostname: "127.0.0.1" }, (info) => {
  console.log(`http://127.0.0.1:${info.port}`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
