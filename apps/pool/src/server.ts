import { readFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { TLSSocket } from "node:tls";
import { sniffProtocol } from "./protocol-sniffer.js";
import type { ServerOptions } from "./server-options.js";

/** One request handler for every transport: HTTP/1.1 and HTTP/2 compat requests alike. */
export type NodeRequestHandler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/**
 * EdgeServer is the one listener of the pool (R-API-2). Cleartext: each
 * connection is sniffed, the HTTP/2 preface goes to an h2c server, anything
 * else to an HTTP/1.1 server (Node's `allowHTTP1` works only with TLS). With
 * TLS, one secure HTTP/2 server negotiates h2 or http/1.1 by ALPN.
 * `close(graceMs)` drains: no new connections, in-flight requests finish
 * within the bound, the rest is destroyed (R-API-5).
 */
export class EdgeServer {
  readonly #options: ServerOptions;
  readonly #listener: net.Server;
  readonly #h1: http.Server | undefined;
  readonly #h2: http2.Http2Server | http2.Http2SecureServer;
  /** Every accepted socket, whatever its protocol; destroyed when the grace ends. */
  readonly #sockets = new Set<net.Socket>();
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  /** HTTP/1.1 sockets with the number of their requests still in flight. */
  readonly #h1InFlight = new Map<net.Socket, number>();
  #inFlight = 0;
  #draining = false;
  #onIdle: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ServerOptions, handler: NodeRequestHandler) {
    this.#options = options;
    const track = this.#track(handler);
    if (options.tls) {
      const secure = http2.createSecureServer({ ...this.#h2Options(), ...tlsServerOptions(options), allowHTTP1: true });
      // The HTTP/1.1 fallback of a secure h2 server reads these like http.Server does.
      Object.assign(secure, {
        headersTimeout: options.headersTimeoutMs,
        requestTimeout: options.requestTimeoutMs,
        keepAliveTimeout: options.keepAliveTimeoutMs,
        maxHeaderSize: options.maxHeaderBytes,
        connectionsCheckingInterval: checkingIntervalMs(options),
      });
      secure.on("connection", (socket: net.Socket) => this.#adopt(socket));
      secure.on("secureConnection", (socket: TLSSocket) => {
        if (this.#draining && socket.alpnProtocol !== "h2") return void socket.destroy();
        if (socket.alpnProtocol !== "h2") this.#h1InFlight.set(socket, 0);
        this.#adopt(socket);
      });
      this.#h2 = secure;
      this.#listener = secure;
    } else {
      this.#h1 = http.createServer({
        maxHeaderSize: options.maxHeaderBytes,
        headersTimeout: options.headersTimeoutMs,
        requestTimeout: options.requestTimeoutMs,
        keepAliveTimeout: options.keepAliveTimeoutMs,
        connectionsCheckingInterval: checkingIntervalMs(options),
      });
      this.#h2 = http2.createServer(this.#h2Options());
      this.#listener = net.createServer({ noDelay: true }, (socket) => void this.#route(socket));
      this.#h1.on("request", track);
    }
    this.#h2.on("request", track);
    this.#h2.on("session", (session: http2.ServerHttp2Session) => this.#adoptSession(session));
    this.#h2.on("stream", (stream: http2.ServerHttp2Stream) => this.#boundStream(stream));
    this.#h2.setTimeout(options.sessionIdleTimeoutMs);
  }

  /** Binds the port; resolves with the port actually bound (useful with port 0). */
  start(): Promise<{ port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#listener.once("error", onError);
      this.#listener.listen(this.#options.port, this.#options.host, () => {
        this.#listener.off("error", onError);
        // The HTTP/1.1 server never listens itself (sockets are handed to
        // it), but its header and request timeouts are enforced by a
        // connection check that starts on 'listening'.
        this.#h1?.emit("listening");
        resolve({ port: (this.#listener.address() as net.AddressInfo).port });
      });
    });
  }

  /**
   * Stops accepting connections, lets requests in flight finish for up to
   * `graceMs`, then destroys every connection left. Idempotent.
   */
  close(graceMs: number): Promise<void> {
    this.#closing ??= this.#drain(graceMs);
    return this.#closing;
  }

  async #drain(graceMs: number): Promise<void> {
    this.#draining = true;
    const listenerClosed = new Promise<void>((resolve) => this.#listener.close(() => resolve()));
    for (const session of this.#sessions) session.close();
    for (const [socket, count] of this.#h1InFlight) if (count === 0) socket.destroy();
    if (this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.#onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    for (const session of this.#sessions) session.destroy();
    for (const socket of this.#sockets) socket.destroy();
    this.#h1?.close();
    await listenerClosed;
  }

  #h2Options(): http2.ServerOptions {
    return {
      maxSessionMemory: this.#options.maxSessionMemoryMb,
      maxHeaderListPairs: this.#options.maxHeaderPairs,
      settings: { maxHeaderListSize: this.#options.maxHeaderBytes },
    };
  }

  /** Sniffs a cleartext socket and hands it, bytes intact, to the matching server. */
  async #route(socket: net.Socket): Promise<void> {
    this.#adopt(socket);
    if (this.#draining) return void socket.destroy();
    const protocol = await sniffProtocol(socket, this.#options.sniffTimeoutMs);
    if (protocol === undefined || this.#draining) return void socket.destroy();
    if (protocol === "h2") {
      // Node's HTTP/2 session reads straight from the socket's native handle
      // and would miss the bytes the sniffer put back; without this flag it
      // reads through the JS stream, which still holds them.
      const withHandle = socket as unknown as { _handle?: { isStreamBase?: boolean } };
      if (withHandle._handle) withHandle._handle.isStreamBase = false;
      this.#h2.emit("connection", socket);
    } else {
      this.#h1InFlight.set(socket, 0);
      this.#h1!.emit("connection", socket);
    }
  }

  #adopt(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.once("close", () => {
      this.#sockets.delete(socket);
      this.#h1InFlight.delete(socket);
    });
  }

  #adoptSession(session: http2.ServerHttp2Session): void {
    this.#sessions.add(session);
    session.once("close", () => this.#sessions.delete(session));
    if (this.#draining) session.close();
  }

  /** Bounds an HTTP/2 stream until its request half is complete, like `requestTimeout` does for HTTP/1.1. */
  #boundStream(stream: http2.ServerHttp2Stream): void {
    if (stream.endAfterHeaders) return;
    stream.setTimeout(this.#options.requestTimeoutMs, () => stream.close(http2.constants.NGHTTP2_CANCEL));
    stream.once("end", () => stream.setTimeout(0));
  }

  /**
   * Counts requests in flight, per server and per HTTP/1.1 socket, for the
   * drain; refuses HTTP/2 header blocks above the limit with 431 (Node's
   * HTTP/1.1 parser does that itself, nghttp2 only advertises the limit).
   */
  #track(handler: NodeRequestHandler): NodeRequestHandler {
    return (req, res) => {
      if (req.httpVersionMajor === 2 && headerListSize(req.rawHeaders) > this.#options.maxHeaderBytes) {
        res.writeHead(431).end();
        return;
      }
      this.#inFlight++;
      const socket = req.httpVersionMajor === 1 ? (req.socket as net.Socket) : undefined;
      if (socket) this.#h1InFlight.set(socket, (this.#h1InFlight.get(socket) ?? 0) + 1);
      if (this.#draining && socket) res.setHeader("connection", "close");
      res.once("close", () => {
        this.#inFlight--;
        if (socket) {
          const left = (this.#h1InFlight.get(socket) ?? 1) - 1;
          this.#h1InFlight.set(socket, left);
          if (this.#draining && left === 0) socket.destroySoon();
        }
        if (this.#inFlight === 0) this.#onIdle?.();
      });
      handler(req, res);
    };
  }
}

/** The size of a header list as HTTP/2 counts it: name and value octets plus 32 per field. */
function headerListSize(rawHeaders: readonly string[]): number {
  let size = 0;
  for (const part of rawHeaders) size += Buffer.byteLength(part);
  return size + 16 * rawHeaders.length;
}

/** Node checks header and request timeouts on an interval; make it fine enough for the bounds set. */
function checkingIntervalMs(options: ServerOptions): number {
  return Math.max(10, Math.min(1_000, Math.floor(options.headersTimeoutMs / 4)));
}

function tlsServerOptions(options: ServerOptions): http2.SecureServerOptions {
  const tls = options.tls!;
  const clientCa = tls.clientCaFile ? readFileSync(tls.clientCaFile) : undefined;
  return {
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile),
    handshakeTimeout: options.sniffTimeoutMs,
    ...(clientCa && { ca: clientCa, requestCert: true, rejectUnauthorized: tls.requireClientCert ?? true }),
  };
}
