import type { Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";

/** Every RPC transport connect-node offers, by name, against one base URL. */
export function rpcTransports(baseUrl: string): Record<string, Transport> {
  return {
    "gRPC (h2c)": createGrpcTransport({ baseUrl }),
    "gRPC-Web binary (HTTP/1.1)": createGrpcWebTransport({ baseUrl, httpVersion: "1.1" }),
    "gRPC-Web binary (h2c)": createGrpcWebTransport({ baseUrl, httpVersion: "2" }),
    "gRPC-Web JSON (HTTP/1.1)": createGrpcWebTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false }),
    "Connect JSON (HTTP/1.1)": createConnectTransport({ baseUrl, httpVersion: "1.1" }),
    "Connect JSON (h2c)": createConnectTransport({ baseUrl, httpVersion: "2" }),
    "Connect binary (HTTP/1.1)": createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true }),
    "Connect binary (h2c)": createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true }),
  };
}
