import net from "node:net";
import { HTTP2_PREFACE } from "../src/protocol-sniffer.js";

/** Frame types and flags of RFC 9113 §6 that the attacks below need. */
export const FrameType = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7 } as const;
const END_STREAM = 0x1;
const ACK = 0x1;
const END_HEADERS = 0x4;

export interface Frame {
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
  readonly payload: Buffer;
}

/**
 * A bare HTTP/2 client that writes frames by hand, so a test can do what
 * `node:http2` never would: ignore SETTINGS_MAX_CONCURRENT_STREAMS, reset
 * streams as fast as it opens them. Header blocks use HPACK literals without
 * indexing (RFC 7541 §6.2.2), so no compression state is needed; the
 * server's header blocks are never decoded, only counted per stream. SETTINGS
 * are acknowledged; nothing else is answered.
 */
export class RawH2Client {
  readonly frames: Frame[] = [];
  readonly closed: Promise<void>;
  #buffered = Buffer.alloc(0);
  #waiters: (() => void)[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => this.#receive(chunk));
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    void this.closed.then(() => this.#wake());
  }

  /** Opens a cleartext connection with prior knowledge: preface, then an empty SETTINGS frame. */
  static async connect(port: number): Promise<RawH2Client> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => resolve(s));
      s.once("error", reject);
    });
    const client = new RawH2Client(socket);
    client.write(Buffer.concat([HTTP2_PREFACE, frame(FrameType.SETTINGS, 0, 0, Buffer.alloc(0))]));
    return client;
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  /** Writes raw bytes; false once the server has closed the connection. */
  write(bytes: Buffer): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return false;
    this.socket.write(bytes);
    return true;
  }

  /** A HEADERS frame for a request; `endStream` when it has no body. */
  headersFrame(streamId: number, fields: Readonly<Record<string, string>>, endStream: boolean): Buffer {
    const block = Buffer.concat(Object.entries(fields).map(([name, value]) => literal(name, value)));
    return frame(FrameType.HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, block);
  }

  dataFrame(streamId: number, data: Buffer, endStream: boolean): Buffer {
    return frame(FrameType.DATA, endStream ? END_STREAM : 0, streamId, data);
  }

  rstStreamFrame(streamId: number, code: number): Buffer {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(code);
    return frame(FrameType.RST_STREAM, 0, streamId, payload);
  }

  /** The error code of the server's RST_STREAM on each stream it reset. */
  resets(): Map<number, number> {
    const codes = new Map<number, number>();
    for (const f of this.frames) if (f.type === FrameType.RST_STREAM) codes.set(f.streamId, f.payload.readUInt32BE(0));
    return codes;
  }

  /** The streams the server sent a HEADERS frame on (a response began). */
  answered(): Set<number> {
    return new Set(this.frames.filter((f) => f.type === FrameType.HEADERS).map((f) => f.streamId));
  }

  /** The error code of the server's GOAWAY, if it sent one. */
  goawayCode(): number | undefined {
    return this.frames.find((f) => f.type === FrameType.GOAWAY)?.payload.readUInt32BE(4);
  }

  /** The server's SETTINGS, identifier to value. */
  settings(): Map<number, number> {
    const values = new Map<number, number>();
    for (const f of this.frames) {
      if (f.type !== FrameType.SETTINGS || f.flags & ACK) continue;
      for (let i = 0; i + 6 <= f.payload.length; i += 6) values.set(f.payload.readUInt16BE(i), f.payload.readUInt32BE(i + 2));
    }
    return values;
  }

  /** Resolves once `predicate` holds for the frames received, or the connection is gone. */
  async until(predicate: (client: RawH2Client) => boolean): Promise<void> {
    while (!predicate(this) && !this.socket.destroyed) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  destroy(): void {
    this.socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#buffered = Buffer.concat([this.#buffered, chunk]);
    while (this.#buffered.length >= 9) {
      const length = this.#buffered.readUIntBE(0, 3);
      if (this.#buffered.length < 9 + length) break;
      const received: Frame = {
        type: this.#buffered.readUInt8(3),
        flags: this.#buffered.readUInt8(4),
        streamId: this.#buffered.readUInt32BE(5) & 0x7fff_ffff,
        payload: this.#buffered.subarray(9, 9 + length),
      };
      this.#buffered = this.#buffered.subarray(9 + length);
      this.frames.push(received);
      if (received.type === FrameType.SETTINGS && !(received.flags & ACK)) {
        this.write(frame(FrameType.SETTINGS, ACK, 0, Buffer.alloc(0)));
      }
    }
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head.writeUInt8(type, 3);
  head.writeUInt8(flags, 4);
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}

/** A literal header field without indexing, new name, no Huffman coding (RFC 7541 §6.2.2). */
function literal(name: string, value: string): Buffer {
  const text = (s: string) => {
    const bytes = Buffer.from(s, "latin1");
    return Buffer.concat([integer(bytes.length, 7, 0), bytes]);
  };
  return Buffer.concat([Buffer.of(0x00), text(name), text(value)]);
}

/** An HPACK integer with an N-bit prefix (RFC 7541 §5.1). */
function integer(value: number, prefixBits: number, flags: number): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.of(flags | value);
  const bytes = [flags | max];
  let rest = value - max;
  while (rest >= 128) {
    bytes.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
