#!/usr/bin/env node
// The container's health probe (Docker HEALTHCHECK, Kubernetes exec probes): GET one URL of the pool on
// its own listener and exit 0 on 200, 1 otherwise. An exec probe, not an HTTP one, because a pool that
// requires a client certificate ([server.tls] require_client_cert) refuses the kubelet's HTTPS probe.
//   LLMPOOL_PROBE_URL   default http://127.0.0.1:7070/healthz (use /readyz for readiness)
//   LLMPOOL_PROBE_CERT, LLMPOOL_PROBE_KEY   PEM files: a client certificate and key the pool accepts (mTLS)
//   LLMPOOL_PROBE_CA    PEM file: check the pool's certificate against this CA. Unset, the probe does not
//                       check it: it asks its own container over loopback, where the pool's certificate
//                       (made for the name the gateway uses) would not match 127.0.0.1 anyway.
//   LLMPOOL_PROBE_TIMEOUT_MS  default 2000
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";

const url = new URL(process.argv[2] ?? process.env.LLMPOOL_PROBE_URL ?? "http://127.0.0.1:7070/healthz");
const timeout = Number(process.env.LLMPOOL_PROBE_TIMEOUT_MS ?? 2000);
const file = (name) => (process.env[name] ? readFileSync(process.env[name]) : undefined);
const ca = file("LLMPOOL_PROBE_CA");
const tls =
  url.protocol === "https:"
    ? { ca, rejectUnauthorized: ca !== undefined, cert: file("LLMPOOL_PROBE_CERT"), key: file("LLMPOOL_PROBE_KEY") }
    : {};

const req = (url.protocol === "https:" ? https : http).get(url, { ...tls, timeout, agent: false }, (res) => {
  res.resume();
  res.on("end", () => {
    console.log(`${url.pathname}: ${res.statusCode}`);
    process.exit(res.statusCode === 200 ? 0 : 1);
  });
});
req.on("timeout", () => req.destroy(new Error(`no answer in ${timeout} ms`)));
req.on("error", (error) => {
  console.error(`${url.pathname}: ${error.message}`);
  process.exit(1);
});
