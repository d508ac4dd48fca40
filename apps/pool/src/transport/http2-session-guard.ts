import http2 from "node:http2";
import type { Clock } from "@llm-pool/core";
import { StreamResetBudget } from "./stream-resets.js";
import type { TransportObserver } from "./transport-observer.js";

const { NGHTTP2_CANCEL, NGHTTP2_ENHANCE_YOUR_CALM, NGHTTP2_NO_ERROR } = http2.constants;

export interface Http2SessionGuardOptions {
  readonly clock: Clock;
  /** Each request must have arrived whole this long after its HEADERS. */
  readonly requestTimeoutMs: number;
  /** Streams the client may reset within the window before the connection is closed. */
  readonly maxStreamResets: number;
  readonly streamResetWindowMs: number;
  readonly observer: TransportObserver;
}

/**
 * Watches one HTTP/2 session for the two abuses nghttp2 leaves to its user:
 *
 * - a request trickled byte by byte: each stream gets one deadline from its
 *   HEADERS, which DATA frames do not restart (a stream timeout would), and
 *   is cancelled if its request half is not complete by then;
 * - rapid reset: streams the client resets are counted per window; past the
 *   budget the session sends GOAWAY(ENHANCE_YOUR_CALM) and its socket is
 *   destroyed, so nothing more is read from it.
 */
export function guardHttp2Session(session: http2.ServerHttp2Session, options: Http2SessionGuardOptions): void {
  const resets = new StreamResetBudget(options.clock, options.maxStreamResets, options.streamResetWindowMs);
  /** Streams the guard cancelled itself: those resets are not the client's. */
  const cancelled = new WeakSet<http2.ServerHttp2Stream>();

  session.on("stream", (stream: http2.ServerHttp2Stream) => {
    const stopDeadline = stream.endAfterHeaders
      ? undefined
      : options.clock.setTimer(options.requestTimeoutMs, () => {
          if (stream.closed || stream.state.remoteClose) return;
          cancelled.add(stream);
          stream.close(NGHTTP2_CANCEL);
        });
    stream.once("end", () => stopDeadline?.());
    stream.once("close", () => {
      stopDeadline?.();
      const resetByClient = stream.rstCode !== undefined && stream.rstCode !== NGHTTP2_NO_ERROR && !cancelled.has(stream);
      if (resetByClient && !session.destroyed && resets.spend()) {
        options.observer.refused("stream_resets", { remoteAddress: session.socket?.remoteAddress });
        session.goaway(NGHTTP2_ENHANCE_YOUR_CALM);
        session.destroy();
      }
    });
  });
}
