import type { Interceptor, Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";

/** Every RPC transport connect-node offers, by name, against one base URL. */
export function rpcTransports(baseUrl: string, interceptors: Interceptor[] = []): Record<string, Transport> {
  return {
    "gRPC (h2c)": createGrpcTransport({ baseUrl, interceptors }),
    "gRPC-Web binary (HTTP/1.1)": createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors }),
    "gRPC-Web binary (h2c)": createGrpcWebTransport({ baseUrl, httpVersion: "2", interceptors }),
    "gRPC-Web JSON (HTTP/1.1)": createGrpcWebTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false, interceptors }),
    "Connect JSON (HTTP/1.1)": createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors }),
    "Connect JSON (h2c)": createConnectTransport({ baseUrl, httpVersion: "2", interceptors }),
    "Connect binary (HTTP/1.1)": createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true, interceptors }),
    "Connect binary (h2c)": createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true, interceptors }),
  };
}
