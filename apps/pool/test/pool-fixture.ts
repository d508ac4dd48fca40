import { createPoolServer, type PoolServer, type PoolServerDeps } from "../src/index.js";
import type { ServerOptions } from "../src/server-options.js";
import { FakeInferService } from "./fake-infer-service.js";

export interface RunningPool {
  readonly server: PoolServer;
  readonly service: FakeInferService;
  readonly port: number;
  /** The Ollama-compatible door's port, when `deps.doors` opens it. */
  readonly ollamaPort?: number;
  readonly baseUrl: string;
  readonly errors: unknown[];
}

/** A real pool server on 127.0.0.1 and a free port, in front of a fake service. */
export async function startPool(
  options: Partial<ServerOptions> = {},
  deps: Partial<PoolServerDeps> = {},
): Promise<RunningPool> {
  const service = (deps.service as FakeInferService | undefined) ?? new FakeInferService();
  const errors: unknown[] = [];
  const server = createPoolServer(
    { host: "127.0.0.1", port: 0, ...options },
    {
      ...deps,
      service,
      logger: { error: (fields) => errors.push(fields.err), warn: () => {} },
    },
  );
  const { port, ollamaPort } = await server.start();
  return { server, service, port, ...(ollamaPort !== undefined && { ollamaPort }), baseUrl: `http://127.0.0.1:${port}`, errors };
}
