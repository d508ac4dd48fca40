import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { GATEWAY_DIR } from "./repo-paths.js";
import type { TestCerts } from "./test-certs.js";

export interface GatewayOptions {
  readonly certs: TestCerts;
  /** The pool replicas, as `host:port`, in upstream order. */
  readonly pools: readonly string[];
  /** site/zones.conf's per-address rate (`limit_req_zone ... rate=`); default the shipped 20r/s. */
  readonly rate?: string;
  /** site/allowlist.conf's lines (`allow 127.0.0.1;`, `deny all;`); default none (everyone). */
  readonly allowlist?: readonly string[];
}

/** A real nginx running the shipped gateway/nginx config with site files written for this test. */
export interface Gateway {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly prefix: string;
  /** Lines of logs/access.log so far (the `llm_pool` format). */
  accessLog(): string[];
  errorLog(): string;
  /** Graceful stop (SIGQUIT), then SIGTERM if it lingers; removes the prefix. */
  stop(): Promise<void>;
}

const binary = process.env.LLMPOOL_NGINX ?? "nginx";

/** The site files of a test gateway: the shipped llm-pool.conf, with upstreams on loopback. */
export function siteFiles(options: GatewayOptions, port: number): Record<string, string> {
  const servers = options.pools.map((p) => `  server ${p} max_fails=1 fail_timeout=5s;`).join("\n");
  // Below the pool's idle timeouts: 5 s for HTTP/1.1 keep-alive, idle_timeout_ms (60 s) for HTTP/2.
  const upstream = (name: string, idle: string) => `upstream ${name} {\n${servers}\n  keepalive 16;\n  keepalive_timeout ${idle};\n}\n`;
  return {
    "zones.conf":
      `limit_req_zone $binary_remote_addr zone=llm_pool_per_ip:10m rate=${options.rate ?? "20r/s"};\n` +
      "limit_conn_zone $binary_remote_addr zone=llm_pool_conn_per_ip:10m;\n",
    "upstreams.conf":
      upstream("llm_pool_http", "4s") +
      upstream("llm_pool_grpc", "50s") +
      `proxy_ssl_name ${options.certs.poolName};\ngrpc_ssl_name ${options.certs.poolName};\n`,
    "listen.conf": `listen 127.0.0.1:${port} ssl http2;\nserver_name localhost;\n`,
    "allowlist.conf": (options.allowlist ?? []).join("\n") + "\n",
  };
}

/** Lays out a prefix (config, site files, certificates), starts nginx on a free port, waits until it accepts. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const prefix = mkdtempSync(join(tmpdir(), "llm-pool-gateway-"));
  // nginx's workers run as an unprivileged user when the master is root: they need to traverse the prefix.
  chmodSync(prefix, 0o755);
  for (const dir of ["site", "logs", "tls", "tmp"]) mkdirSync(join(prefix, dir));
  chmodSync(join(prefix, "tmp"), 0o777);
  copyFileSync(join(GATEWAY_DIR, "nginx.conf"), join(prefix, "nginx.conf"));
  copyFileSync(join(GATEWAY_DIR, "llm-pool.conf"), join(prefix, "llm-pool.conf"));
  const { certs } = options;
  copyFileSync(certs.gateway.cert, join(prefix, "tls/gateway.crt"));
  copyFileSync(certs.gateway.key, join(prefix, "tls/gateway.key"));
  copyFileSync(certs.gatewayClient.cert, join(prefix, "tls/gateway-client.crt"));
  copyFileSync(certs.gatewayClient.key, join(prefix, "tls/gateway-client.key"));
  copyFileSync(certs.meshCa, join(prefix, "tls/mesh-ca.crt"));
  const port = await freePort();
  for (const [name, text] of Object.entries(siteFiles(options, port))) writeFileSync(join(prefix, "site", name), text);

  const child = spawn(binary, ["-p", `${prefix}/`, "-c", "nginx.conf", "-e", "logs/error.log", "-g", "daemon off;"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // A missing binary is a clear failure, never a skipped test (.ci/run installs Debian's nginx).
  child.once("error", (error) => (stderr += `cannot start ${binary} (install Debian's nginx package): ${error.message}\n`));
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  const errorLog = () => {
    try {
      return readFileSync(join(prefix, "logs/error.log"), "utf8");
    } catch {
      return "";
    }
  };
  try {
    await waitForPort(port, child, exited, () => `${stderr}${errorLog()}`);
  } catch (error) {
    await stopProcess(child, exited);
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    prefix,
    accessLog: () => readFileSync(join(prefix, "logs/access.log"), "utf8").split("\n").filter(Boolean),
    errorLog,
    async stop() {
      await stopProcess(child, exited);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGQUIT");
  const timer = setTimeout(() => child.kill("SIGTERM"), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitForPort(port: number, child: ChildProcess, exited: Promise<void>, output: () => string): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${output()}`);
    if (child.pid === undefined) {
      await exited;
      throw new Error(output());
    }
    if (await accepts(port)) return;
    if (Date.now() > end) throw new Error(`nginx did not listen on ${port} in time:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
