// p95 through the NGINX gateway (gateway/nginx) against the same pool reached directly over mTLS,
// side by side, for REST and gRPC: what the gateway hop costs.
import https from "node:https";
import {
  closedLoop,
  grpcClient,
  httpsRequest,
  inferBody,
  inferRequest,
  signedRestHeaders,
  startDeployment,
  type Deployment,
  type LoopOutcome,
} from "@llm-pool/deploy-e2e";
import { summarize, type LatencySummary } from "../stats.js";

const ROUNDS = 5;

export interface GatewayRow {
  readonly path: string;
  /** The row this one is compared with (its direct twin), by path name; none for a baseline. */
  readonly baseline?: string;
  readonly requests: number;
  readonly latency: LatencySummary;
  /** Requests that did not end with an answer, as a share. */
  readonly failed: number;
}

export interface GatewayBenchOptions {
  /** Requests per path (default 300). */
  readonly requests?: number;
  /** Requests in flight per path (default 4). */
  readonly concurrency?: number;
  /** The mock model's fixed generation time (default 20 ms). */
  readonly engineLatencyMs?: number;
}

export interface GatewaySection {
  readonly title: string;
  readonly subtitle: string;
  readonly rows: GatewayRow[];
}

/** Starts one pool behind the shipped gateway and measures four paths to it, one after the other. */
export async function gatewayBench(options: GatewayBenchOptions = {}): Promise<GatewaySection> {
  const requests = options.requests ?? 300;
  const concurrency = options.concurrency ?? 4;
  const engineLatencyMs = options.engineLatencyMs ?? 20;
  const d = await startDeployment({
    engineLatencyMs,
    pool: { rateRps: 100_000, rateBurst: 100_000 },
    gateway: { rate: "100000r/s" },
  });
  try {
    const measured = paths(d, concurrency);
    for (const [, , send] of measured) await closedLoop(10, concurrency, send); // warm connections and the engine
    // Rounds, each path in turn, so warm-up and the machine's load drift weigh on every path alike.
    const rounds = Math.min(ROUNDS, requests);
    const outcomes = measured.map(() => [] as LoopOutcome[]);
    for (let round = 0; round < rounds; round++) {
      const share = Math.floor(requests / rounds) + (round < requests % rounds ? 1 : 0);
      for (const [i, [, , send]] of measured.entries()) outcomes[i]!.push(...(await closedLoop(share, concurrency, send)));
    }
    const rows: GatewayRow[] = measured.map(([path, baseline], i) => ({
      path,
      ...(baseline && { baseline }),
      requests,
      latency: summarize(outcomes[i]!.map((o) => o.ms)),
      failed: outcomes[i]!.filter((o) => o.outcome !== "ok").length / requests,
    }));
    return {
      title: "Gateway: the same pool directly and through NGINX",
      subtitle:
        `${requests} signed expand_queries requests per path, ${concurrency} in flight, mock engine ${engineLatencyMs} ms; ` +
        "keep-alive connections (HTTP/1.1) and one HTTP/2 session (gRPC) per path, paths in turn over 5 rounds; " +
        "direct = mTLS with the gateway's client certificate; x: ratio to the same protocol direct",
      rows,
    };
  } finally {
    await d.close();
  }
}

type Send = (index: number) => Promise<string>;

function paths(d: Deployment, concurrency: number): [string, string | undefined, Send][] {
  const edgeCa = d.certs.pem(d.certs.edgeCa);
  const mesh = { ca: d.certs.pem(d.certs.meshCa), cert: d.certs.pem(d.certs.gatewayClient.cert), key: d.certs.pem(d.certs.gatewayClient.key) };
  const poolUrl = `https://${d.pools[0]!.address}`;
  const rest = (url: string, agent: https.Agent): Send => async (i) => {
    const body = inferBody(`bench rest ${i}`);
    const res = await httpsRequest(`${url}/v1/infer`, { ca: agent.options.ca as Buffer, agent }, { body, headers: signedRestHeaders(d.key, body) });
    return res.status === 200 ? "ok" : String(res.status);
  };
  const grpc = (client: ReturnType<typeof grpcClient>): Send => async (i) => {
    await client.infer(inferRequest(`bench grpc ${i}`));
    return "ok";
  };
  const agent = (tls: https.AgentOptions) => new https.Agent({ keepAlive: true, maxSockets: concurrency, ...tls });
  return [
    ["REST direct (mTLS)", undefined, rest(poolUrl, agent(mesh))],
    ["REST via gateway", "REST direct (mTLS)", rest(d.gateway.url, agent({ ca: edgeCa }))],
    ["gRPC direct (mTLS)", undefined, grpc(grpcClient(poolUrl, mesh, d.key))],
    ["gRPC via gateway", "gRPC direct (mTLS)", grpc(grpcClient(d.gateway.url, edgeCa, d.key))],
  ];
}
