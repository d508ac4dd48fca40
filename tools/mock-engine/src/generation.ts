import type { IncomingMessage, ServerResponse } from "node:http";
import { composeAnswer } from "./answers.js";
import { pause } from "./clock.js";
import type { EngineState } from "./engine.js";
import { IMMEDIATE_FAULTS, pickFault } from "./faults.js";
import { abortStream, resetConnection, sendInvalidUtf8, sendJson, sendMalformedJson, sendTruncatedJson, withInvalidByte } from "./http-write.js";
import { drawLatency, planLatency, type LatencyDraw } from "./latency.js";
import type { RecordEntry, RecordFields } from "./record.js";
import { findModel, type FaultKind, type ResolvedModel } from "./scenario.js";
import { countTokens, truncateTokens } from "./tokens.js";
import type { GenerationInput, GenerationResult, StreamHead, Wire } from "./wire.js";

/** One request on its way through the engine. */
interface Call {
  engine: EngineState;
  req: IncomingMessage;
  res: ServerResponse;
  input: GenerationInput;
  wire: Wire;
  entry: RecordEntry;
  model: ResolvedModel;
  fault: FaultKind | undefined;
  draw: LatencyDraw;
  signal: AbortSignal;
  arrivedAt: number;
}

function summarize(input: GenerationInput): RecordFields {
  const prompt = input.texts.join("\n");
  return {
    method: "POST",
    route: input.route,
    api: input.api,
    model: input.model,
    stream: input.stream,
    prompt: { words: countTokens(prompt), chars: prompt.length, preview: prompt.slice(0, 80), ...(input.messages !== undefined && { messages: input.messages }) },
    seed: input.seed,
    temperature: input.temperature,
    top_p: input.topP,
    max_tokens: input.maxTokens,
    format: input.format.kind,
    keep_alive: input.keepAlive,
  };
}

const whenAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));

/**
 * Serves one generation: model lookup, fault pick, slot, cold load, prompt reading, tokens (streamed
 * or not), then the record. A client that goes away aborts every wait and is recorded as cancelled.
 */
export async function serveGeneration(engine: EngineState, req: IncomingMessage, res: ServerResponse, input: GenerationInput, wire: Wire): Promise<void> {
  const arrivedAt = engine.clock.now();
  const entry = engine.record.add(summarize(input));
  const model = findModel(engine.scenario, input.model);
  if (!model) {
    engine.record.settle(entry, "error", { status: 404 });
    sendJson(res, 404, wire.notFound(input.model));
    return;
  }
  const abort = new AbortController();
  res.on("close", () => {
    if (res.writableFinished) return;
    abort.abort();
    engine.record.settle(entry, "cancelled");
  });
  // Draw at arrival, in arrival order, so a seeded run repeats whatever the timing.
  const state = engine.modelState(model.name);
  const fault = pickFault(model.faults, state.cursor, state.random);
  const draw = drawLatency(state.random);
  if (fault) engine.record.update(entry, { fault });
  const call: Call = { engine, req, res, input, wire, entry, model, fault, draw, signal: abort.signal, arrivedAt };
  try {
    if (fault && IMMEDIATE_FAULTS.has(fault)) return await injectImmediate(call, fault);
    if (input.loadOnly && input.keepAliveMs === 0) return unload(call);
    const lease = await engine.slots.acquire(abort.signal);
    try {
      engine.record.update(entry, { queued: lease.queued, start_order: engine.nextStartOrder() });
      await generate(call);
    } finally {
      lease.release();
    }
  } catch (err) {
    if (abort.signal.aborted) return;
    engine.record.settle(entry, "error", { status: 500 });
    if (res.headersSent) res.destroy(err as Error);
    else sendJson(res, 500, wire.serverError());
  }
}

async function injectImmediate({ engine, req, res, wire, entry, model, signal }: Call, fault: FaultKind): Promise<void> {
  switch (fault) {
    case "http_500":
      engine.record.settle(entry, "fault", { status: 500 });
      return sendJson(res, 500, wire.serverError());
    case "http_429":
      engine.record.settle(entry, "fault", { status: 429 });
      return sendJson(res, 429, wire.rateLimited(), { "Retry-After": String(model.faults.retryAfterS) });
    case "reset":
      engine.record.settle(entry, "fault");
      return resetConnection(req);
    default:
      // hang: answer nothing; the close handler records the client giving up.
      return whenAborted(signal);
  }
}

function result(call: Call, fields: Partial<GenerationResult>): GenerationResult {
  const now = call.engine.clock.now();
  return {
    id: call.entry.seq,
    model: call.input.model,
    now,
    text: "",
    doneReason: "stop",
    promptTokens: 0,
    evalTokens: 0,
    totalMs: now - call.arrivedAt,
    loadMs: 0,
    promptEvalMs: 0,
    evalMs: 0,
    ...fields,
  };
}

function unload(call: Call): void {
  call.engine.residency.unload(call.model.name);
  call.engine.record.settle(call.entry, "completed", { status: 200, done_reason: "unload" });
  sendJson(call.res, 200, call.wire.full(result(call, { doneReason: "unload" })));
}

async function generate(call: Call): Promise<void> {
  const { engine, input, model, signal } = call;
  const clock = engine.clock;
  const timeScale = engine.scenario.timeScale;
  const keepAliveMs = input.keepAliveMs ?? engine.scenario.defaultKeepAliveMs;
  const promptTokens = countTokens(input.texts.join("\n"));
  const answer = input.loadOnly ? "" : composeAnswer({ model, texts: input.texts, seed: input.seed, format: input.format });
  const cut = truncateTokens(answer, input.maxTokens);
  const cold = !engine.residency.isResident(model.name);
  const plan = planLatency(model.latency, call.draw, { promptTokens, evalTokens: cut.pieces.length, cold, timeScale });
  engine.record.update(call.entry, { cold });
  engine.residency.begin(model.name);
  try {
    const loadStart = clock.now();
    await pause(clock, plan.loadMs, signal);
    const loadMs = clock.now() - loadStart;
    if (input.loadOnly) {
      engine.record.settle(call.entry, "completed", { status: 200, done_reason: "load" });
      return sendJson(call.res, 200, call.wire.full(result(call, { doneReason: "load", loadMs })));
    }
    const promptStart = clock.now();
    await pause(clock, plan.promptEvalMs, signal);
    const timing = { loadMs, promptEvalMs: clock.now() - promptStart, evalStart: clock.now() };
    const slowMs = call.fault === "slow_stream" ? model.faults.slowTokenMs * timeScale : 0;
    const perTokenMs = Math.max(plan.evalMs / Math.max(1, cut.pieces.length), slowMs);
    const finish = (): GenerationResult =>
      result(call, {
        text: cut.text,
        doneReason: cut.cut ? "length" : "stop",
        promptTokens,
        evalTokens: cut.pieces.length,
        loadMs: timing.loadMs,
        promptEvalMs: timing.promptEvalMs,
        evalMs: clock.now() - timing.evalStart,
      });
    if (input.stream) await streamAnswer(call, cut.pieces, perTokenMs, timing.evalStart, finish);
    else await sendAnswer(call, perTokenMs * Math.max(1, cut.pieces.length), finish);
  } finally {
    engine.residency.end(model.name, keepAliveMs);
  }
}

const ANSWER_FAULTS: ReadonlySet<string> = new Set(["malformed_json", "truncated_body", "invalid_utf8", "stream_error"]);

function settleAnswer(call: Call, answer: GenerationResult): void {
  const fate = call.fault !== undefined && ANSWER_FAULTS.has(call.fault) ? "fault" : "completed";
  call.engine.record.settle(call.entry, fate, {
    status: 200,
    done_reason: answer.doneReason,
    prompt_eval_count: answer.promptTokens,
    eval_count: answer.evalTokens,
  });
}

async function sendAnswer(call: Call, evalMs: number, finish: () => GenerationResult): Promise<void> {
  await pause(call.engine.clock, evalMs, call.signal);
  const answer = finish();
  const body = call.wire.full(answer);
  if (call.fault === "stream_error") {
    call.engine.record.settle(call.entry, "fault", { status: 500 });
    return sendJson(call.res, 500, call.wire.serverError());
  }
  settleAnswer(call, answer);
  if (call.fault === "malformed_json") sendMalformedJson(call.res, body);
  else if (call.fault === "truncated_body") sendTruncatedJson(call.res, body);
  else if (call.fault === "invalid_utf8") sendInvalidUtf8(call.res, body, answer.text);
  else sendJson(call.res, 200, body);
}

async function streamAnswer(call: Call, pieces: string[], perTokenMs: number, evalStart: number, finish: () => GenerationResult): Promise<void> {
  const { engine, res, wire, signal } = call;
  const head = (): StreamHead => ({ id: call.entry.seq, model: call.input.model, now: engine.clock.now() });
  const write = (value: unknown) => res.destroyed || res.write(wire.frame(JSON.stringify(value)));
  res.writeHead(200, { "Content-Type": wire.streamContentType, "Cache-Control": "no-cache" });
  for (const value of wire.opening(head())) write(value);
  const cutAt = call.fault === "truncated_body" || call.fault === "stream_error" ? Math.floor(pieces.length / 2) : -1;
  for (const [i, piece] of pieces.entries()) {
    if (i === cutAt) break;
    // Aim at the token's due time rather than sleeping a fixed step, so timer lag does not add up.
    await pause(engine.clock, evalStart + perTokenMs * (i + 1) - engine.clock.now(), signal);
    if (i === 0 && call.fault === "invalid_utf8") {
      if (!res.destroyed) res.write(withInvalidByte(wire.frame(JSON.stringify(wire.piece(piece, head()))), piece));
    } else {
      write(wire.piece(piece, head()));
    }
  }
  const answer = finish();
  settleAnswer(call, answer);
  if (call.fault === "stream_error") {
    // The engine failed mid-answer (Ollama's runner died, a server's error event): its error object, then the end.
    write(wire.serverError());
    res.end(wire.trailer);
    return;
  }
  if (cutAt >= 0) return abortStream(res);
  const [first, ...rest] = wire.closing(answer);
  if (call.fault === "malformed_json") {
    const json = JSON.stringify(first);
    res.write(wire.frame(json.slice(0, Math.floor(json.length / 2))));
  } else {
    for (const value of [first, ...rest]) write(value);
  }
  res.end(wire.trailer);
}
