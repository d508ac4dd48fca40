import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { TLSSocket } from "node:tls";
import { systemClock, type Clock } from "@llm-pool/core";
import { sniffProtocol } from "./protocol-sniffer.js";
import type { ServerOptions } from "./server-options.js";
import { clientCertificateRefusal } from "./transport/client-certificate.js";
import { boundFirstHeaders } from "./transport/h1-header-deadline.js";
import { headerListTooLarge, parserHeaderPairs } from "./transport/header-limits.js";
import { guardHttp2Session } from "./transport/http2-session-guard.js";
import { InFlightLimit } from "./transport/in-flight-limit.js";
import { tlsServerOptions } from "./transport/tls-options.js";
import { silentTransportObserver, type TransportObserver } from "./transport/transport-observer.js";

/** One request handler for every transport: HTTP/1.1 and HTTP/2 compat requests alike. */
export type NodeRequestHandler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

export interface EdgeServerDeps {
  /** Drives the per-connection and per-request clocks; default the system clock. */
  readonly clock?: Clock;
  /** Hears every refusal of the transport (metrics, logs). */
  readonly observer?: TransportObserver;
  /** Answers a request above `maxInFlight`; default a bare 503 with Retry-After. */
  readonly refuseOverloaded?: NodeRequestHandler;
}

/**
 * Liveness probes stay answerable when the server is full, so that a busy
 * pool is not restarted for being busy; they do no engine work.
 */
const PROBE_PATHS = new Set(["/healthz", "/grpc.health.v1.Health/Check"]);

/**
 * EdgeServer is the one listener of the pool (R-API-2). Cleartext: each
 * connection is sniffed, the HTTP/2 preface goes to an h2c server, anything
 * else to an HTTP/1.1 server (Node's `allowHTTP1` works only with TLS). With
 * TLS, one secure HTTP/2 server negotiates h2 or http/1.1 by ALPN.
 * It bounds what a client can hold: connections, streams per connection,
 * requests in flight, resets, one clock per connection and per request.
 * `close(graceMs)` drains: no new connections, in-flight requests finish
 * within the bound, the rest is destroyed (R-API-5).
 */
export class EdgeServer {
  readonly #options: ServerOptions;
  readonly #clock: Clock;
  readonly #observer: TransportObserver;
  readonly #listener: net.Server;
  readonly #h1: http.Server | undefined;
  readonly #h2: http2.Http2Server | http2.Http2SecureServer;
  /** Every accepted socket, whatever its protocol; destroyed when the grace ends. */
  readonly #sockets = new Set<net.Socket>();
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  /** HTTP/1.1 sockets with the number of their requests still in flight. */
  readonly #h1InFlight = new Map<net.Socket, number>();
  /** HTTP/1.1 sockets whose first request's headers are still on the connection's clock. */
  readonly #firstHeaders = new Map<net.Socket, () => void>();
  /**
   * When each open connection was accepted, by remote endpoint: with TLS the
   * socket a request arrives on wraps the one accepted, and only the
   * endpoint links them.
   */
  readonly #acceptedAt = new Map<string, number>();
  readonly #admission: InFlightLimit;
  #inFlight = 0;
  #draining = false;
  #onIdle: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ServerOptions, handler: NodeRequestHandler, deps: EdgeServerDeps = {}) {
    this.#options = options;
    this.#clock = deps.clock ?? systemClock;
    this.#observer = deps.observer ?? silentTransportObserver;
    this.#admission = new InFlightLimit(options.maxInFlight);
    const track = this.#track(handler, deps.refuseOverloaded ?? refuseBare);
    const h1Limits = {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      maxHeaderSize: options.maxHeaderBytes,
      // Far above the limit, so that #track sees the excess and answers 431 as on HTTP/2.
      maxHeadersCount: parserHeaderPairs(options),
      connectionsCheckingInterval: checkingIntervalMs(options),
    };
    if (options.tls) {
      const secure = http2.createSecureServer({
        ...this.#h2Options(),
        ...tlsServerOptions(options.tls, options.headersTimeoutMs),
        allowHTTP1: true,
        // As on the cleartext listener: without it Nagle holds a response's second write for the client's ACK.
        noDelay: true,
      });
      // The HTTP/1.1 fallback of a secure h2 server reads these like http.Server does.
      Object.assign(secure, h1Limits);
      secure.on("connection", (socket: net.Socket) => {
        this.#adopt(socket);
        this.#noteAccepted(socket);
      });
      secure.on("secureConnection", (socket: TLSSocket) => this.#secured(socket));
      this.#h2 = secure;
      this.#listener = secure;
    } else {
      const { maxHeadersCount, ...serverOptions } = h1Limits;
      this.#h1 = http.createServer(serverOptions);
      this.#h1.maxHeadersCount = maxHeadersCount;
      this.#h2 = http2.createServer(this.#h2Options());
      this.#listener = net.createServer({ noDelay: true }, (socket) => void this.#route(socket));
      this.#h1.on("request", track);
    }
    this.#listener.maxConnections = options.maxConnections;
    this.#listener.on("drop", (data?: { remoteAddress?: string }) =>
      this.#observer.refused("max_connections", { remoteAddress: data?.remoteAddress }),
    );
    this.#h2.on("request", track);
    this.#h2.on("session", (session: http2.ServerHttp2Session) => this.#adoptSession(session));
    this.#h2.setTimeout(options.sessionIdleTimeoutMs);
  }

  /** Binds the port; resolves with the port actually bound (useful with port 0). */
  start(): Promise<{ port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#listener.once("error", onError);
      this.#listener.listen(this.#options.port, this.#options.host, () => {
        this.#listener.off("error", onError);
        // Once listening, an 'error' is a failed accept (EMFILE when libuv cannot absorb it): the
        // connection is lost, the server is not. Unheard, it would end the process.
        this.#listener.on("error", (error: NodeJS.ErrnoException) =>
          this.#observer.refused("accept_error", { code: error.code, err: error }),
        );
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
      maxHeaderListPairs: parserHeaderPairs(this.#options),
      settings: {
        maxHeaderListSize: this.#options.maxHeaderBytes,
        maxConcurrentStreams: this.#options.maxStreamsPerConnection,
      },
    };
  }

  /** Sniffs a cleartext socket and hands it, bytes intact, to the matching server. */
  async #route(socket: net.Socket): Promise<void> {
    this.#adopt(socket);
    this.#noteAccepted(socket);
    if (this.#draining) return void socket.destroy();
    // The sniff runs on the connection's header clock; HTTP/1.1 gets what is left of it.
    const protocol = await sniffProtocol(socket, this.#options.headersTimeoutMs, this.#clock);
    if (protocol === undefined || this.#draining) return void socket.destroy();
    if (protocol === "h2") {
      // Node's HTTP/2 session reads straight from the socket's native handle
      // and would miss the bytes the sniffer put back; without this flag it
      // reads through the JS stream, which still holds them.
      const withHandle = socket as unknown as { _handle?: { isStreamBase?: boolean } };
      if (withHandle._handle) withHandle._handle.isStreamBase = false;
      this.#h2.emit("connection", socket);
    } else {
      this.#handOverH1(socket);
      this.#h1!.emit("connection", socket);
    }
  }

  /** A TLS handshake is done: refuse a client certificate that does not verify, then route by ALPN. */
  #secured(socket: TLSSocket): void {
    const refusal = this.#options.tls?.clientCaFile ? clientCertificateRefusal(socket) : undefined;
    if (refusal) {
      this.#observer.refused("client_certificate", { reason: refusal, remoteAddress: socket.remoteAddress });
      return void socket.destroy();
    }
    if (this.#draining && socket.alpnProtocol !== "h2") return void socket.destroy();
    this.#adopt(socket);
    if (socket.alpnProtocol !== "h2") this.#handOverH1(socket);
  }

  /** Tracks a socket until it closes, for the drain. */
  #adopt(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.once("close", () => {
      this.#sockets.delete(socket);
      this.#h1InFlight.delete(socket);
      this.#firstHeaders.delete(socket);
    });
  }

  /** Starts the connection's header clock. */
  #noteAccepted(socket: net.Socket): void {
    const endpoint = endpointOf(socket);
    this.#acceptedAt.set(endpoint, this.#clock.now());
    socket.once("close", () => this.#acceptedAt.delete(endpoint));
  }

  #handOverH1(socket: net.Socket): void {
    const acceptedAt = this.#acceptedAt.get(endpointOf(socket)) ?? this.#clock.now();
    this.#h1InFlight.set(socket, 0);
    this.#firstHeaders.set(socket, boundFirstHeaders(socket, acceptedAt, this.#clock, this.#options.headersTimeoutMs));
  }

  #adoptSession(session: http2.ServerHttp2Session): void {
    this.#sessions.add(session);
    session.once("close", () => this.#sessions.delete(session));
    guardHttp2Session(session, { ...this.#options, clock: this.#clock, observer: this.#observer });
    if (this.#draining) session.close();
  }

  /**
   * Admits each request: refuses header lists over the limits with 431
   * (Node's HTTP/1.1 parser does the byte limit itself, nghttp2 only
   * advertises it) and requests above `maxInFlight` with `refuseOverloaded`;
   * counts requests in flight, per server and per HTTP/1.1 socket, for the
   * drain.
   */
  #track(handler: NodeRequestHandler, refuseOverloaded: NodeRequestHandler): NodeRequestHandler {
    return (req, res) => {
      const socket = req.httpVersionMajor === 1 ? (req.socket as net.Socket) : undefined;
      if (socket) {
        this.#firstHeaders.get(socket)?.();
        this.#firstHeaders.delete(socket);
      }
      if (headerListTooLarge(req.rawHeaders, req.httpVersionMajor, this.#options)) {
        if (socket) res.setHeader("connection", "close");
        res.writeHead(431).end();
        return;
      }
      const probe = PROBE_PATHS.has((req.url ?? "").split("?", 1)[0]!);
      if (!probe && !this.#admission.tryEnter()) {
        this.#observer.refused("in_flight");
        refuseOverloaded(req, res);
        return;
      }
      this.#inFlight++;
      if (socket) this.#h1InFlight.set(socket, (this.#h1InFlight.get(socket) ?? 0) + 1);
      if (this.#draining && socket) res.setHeader("connection", "close");
      res.once("close", () => {
        if (!probe) this.#admission.leave();
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

function endpointOf(socket: net.Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}

function refuseBare(_req: Parameters<NodeRequestHandler>[0], res: Parameters<NodeRequestHandler>[1]): void {
  res.writeHead(503, { "retry-after": "1" }).end();
}

/** Node checks header and request timeouts on an interval; make it fine enough for the bounds set. */
function checkingIntervalMs(options: ServerOptions): number {
  return Math.max(10, Math.min(1_000, Math.floor(options.headersTimeoutMs / 4)));
}
