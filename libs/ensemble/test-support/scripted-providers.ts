// Test support for this package's specs (never built, never imported from src/): scripted engines and
// plans on a FakeClock.
import {
  Deadline,
  type EnsembleOutcome,
  type EnsemblePlan,
  type EnsembleSettings,
  type FakeClock,
  type OutputSpec,
  type Provider,
  type ProviderRequest,
  type ProviderResult,
  type StrategyName,
  type TextSink,
  type Usage,
} from "@llm-pool/core";

interface PendingCall {
  readonly request: ProviderRequest;
  readonly resolve: (r: ProviderResult) => void;
  readonly reject: (e: unknown) => void;
  /** A streamed call's sink, and the pieces written to it so far. */
  readonly onText?: TextSink;
  readonly written: string[];
}

/** A provider whose calls the test settles by hand, recording what it saw. */
export class ScriptedProvider implements Provider {
  readonly driver = "test";
  /** Each provider on its own engine, so FASTEST may hedge from one to another (R-QOS-5). */
  readonly engine: string;
  readonly model: string;
  started = 0;
  aborted = 0;
  readonly requests: ProviderRequest[] = [];
  #pending: PendingCall[] = [];

  constructor(readonly name: string) {
    this.model = `${name}-model`;
    this.engine = `${name}-engine`;
  }

  supports(): boolean {
    return true;
  }

  infer(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    return this.begin(request, signal, undefined);
  }

  protected begin(request: ProviderRequest, signal: AbortSignal, onText: TextSink | undefined): Promise<ProviderResult> {
    this.started++;
    this.requests.push(request);
    return new Promise((resolve, reject) => {
      const call: PendingCall = { request, resolve, reject, written: [], ...(onText ? { onText } : {}) };
      this.#pending.push(call);
      signal.addEventListener(
        "abort",
        () => {
          this.aborted++;
          this.#pending = this.#pending.filter((c) => c !== call);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Calls started and neither answered nor aborted. */
  get inFlight(): number {
    return this.#pending.length;
  }

  get lastRequest(): ProviderRequest {
    return this.requests.at(-1)!;
  }

  /** Ends the oldest call with `text`; a streamed call, by default, with the pieces it wrote. */
  answer(text?: string, usage: Usage = { promptTokens: 3, completionTokens: 2 }): void {
    const call = this.#next();
    call.resolve({ text: text ?? call.written.join(""), model: this.model, usage, finishReason: "stop" });
  }

  /** Writes a piece of text on the oldest call, which must be streamed. */
  write(text: string): void {
    const call = this.#pending[0];
    if (!call?.onText) throw new Error(`${this.name} has no streamed call in flight`);
    call.written.push(text);
    call.onText(text);
  }

  fail(message = "HTTP 500"): void {
    this.#next().reject(new Error(message));
  }

  answerWith(result: ProviderResult): void {
    this.#next().resolve(result);
  }

  failWith(reason: unknown): void {
    this.#next().reject(reason);
  }

  #next(): PendingCall {
    const call = this.#pending.shift();
    if (!call) throw new Error(`${this.name} has no call in flight`);
    return call;
  }
}

/** A ScriptedProvider that can stream (R-API-6): `write` hands its oldest call a piece of text. */
export class StreamingProvider extends ScriptedProvider {
  inferStream(request: ProviderRequest, signal: AbortSignal, onText: TextSink): Promise<ProviderResult> {
    return this.begin(request, signal, onText);
  }
}

/**
 * A provider that answers by itself on the fake clock: `delayMs` after each
 * call starts it resolves with what `reply` returns, or fails with HTTP 500
 * when that is undefined. Both can change between calls.
 */
export class TimedProvider implements Provider {
  readonly driver = "test";
  readonly engine = "test";
  readonly model: string;
  calls = 0;

  constructor(
    readonly name: string,
    private readonly clock: FakeClock,
    public delayMs: number,
    public reply: (request: ProviderRequest) => string | undefined,
  ) {
    this.model = `${name}-model`;
  }

  supports(): boolean {
    return true;
  }

  infer(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    this.calls++;
    const reply = this.reply;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        cancel();
        reject(signal.reason);
      };
      const cancel = this.clock.setTimer(this.delayMs, () => {
        signal.removeEventListener("abort", onAbort);
        const text = reply(request);
        if (text === undefined) reject(new Error("HTTP 500"));
        else resolve({ text, model: this.model, usage: { promptTokens: 5, completionTokens: 3 }, finishReason: "stop" });
      });
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

export function providers(...names: string[]): ScriptedProvider[] {
  return names.map((n) => new ScriptedProvider(n));
}

export interface PlanOptions {
  readonly deadlineMs?: number;
  readonly hedgeAfterMs?: number;
  readonly output?: OutputSpec;
  readonly settings?: Partial<EnsembleSettings>;
  readonly seed?: number;
  readonly prompt?: string;
  readonly system?: string;
  readonly requestId?: string;
}

export function planFor(
  clock: FakeClock,
  strategy: StrategyName,
  list: readonly Provider[],
  opts: PlanOptions = {},
): EnsemblePlan {
  return {
    requestId: opts.requestId ?? "r1",
    task: "rerank_candidates",
    strategy,
    providers: list,
    request: {
      task: "rerank_candidates",
      ...(opts.system === undefined ? {} : { system: opts.system }),
      prompt: opts.prompt ?? "order these",
      maxTokens: 64,
      temperature: 0,
      seed: opts.seed ?? 42,
      output: opts.output ?? { kind: "text" },
    },
    deadline: new Deadline(clock, clock.now() + (opts.deadlineMs ?? 1000)),
    clock,
    startedAt: clock.now(),
    hedgeAfterMs: opts.hedgeAfterMs ?? 300,
    ensemble: { maxParallel: 8, ...opts.settings },
  };
}

/** Everything in an outcome but the latencies, which depend on arrival times. */
export function withoutLatencies(outcome: EnsembleOutcome): string {
  return JSON.stringify({
    ...outcome,
    candidates: outcome.candidates.map(({ latencyMs: _latency, ...rest }) => rest),
    ...(outcome.judge ? { judge: { ...outcome.judge, latencyMs: 0 } } : {}),
  });
}

/** The rejection of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
}
