import type { Socket } from "node:net";
import type { Clock } from "@llm-pool/core";

/** The client connection preface that opens every HTTP/2 prior-knowledge connection. */
export const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export type SniffedProtocol = "h1" | "h2";

/**
 * Decides from the bytes seen so far: "h2" once the whole preface matched,
 * "h1" as soon as a byte differs from it, undefined while it is a prefix.
 */
export function classify(head: Buffer): SniffedProtocol | undefined {
  const n = Math.min(head.length, HTTP2_PREFACE.length);
  if (!head.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n))) return "h1";
  return n === HTTP2_PREFACE.length ? "h2" : undefined;
}

/**
 * Reads the first bytes of a cleartext connection to tell HTTP/2 (prior
 * knowledge, as gRPC clients speak it) from HTTP/1.1, then puts every byte
 * read back into the socket so the chosen server parses the stream from its
 * start. Resolves undefined, with the socket destroyed, when the peer closes,
 * errors or stays silent past `timeoutMs` before the protocol is known.
 */
export function sniffProtocol(socket: Socket, timeoutMs: number, clock: Clock): Promise<SniffedProtocol | undefined> {
  return new Promise((resolve) => {
    let head = Buffer.alloc(0);
    const stopTimer = clock.setTimer(timeoutMs, () => give(undefined));

    function onReadable(): void {
      for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
        head = Buffer.concat([head, chunk]);
      }
      const protocol = classify(head);
      if (protocol) give(protocol);
    }

    function give(protocol: SniffedProtocol | undefined): void {
      stopTimer();
      socket.off("readable", onReadable);
      socket.off("end", onGone);
      socket.off("close", onGone);
      socket.off("error", onGone);
      if (protocol === undefined) {
        socket.destroy();
      } else if (head.length > 0) {
        socket.unshift(head);
      }
      resolve(protocol);
    }

    function onGone(): void {
      give(undefined);
    }

    socket.on("readable", onReadable);
    socket.once("end", onGone);
    socket.once("close", onGone);
    socket.once("error", onGone);
  });
}
