import { createServer } from "node:net";

/**
 * A loopback port that was free a moment ago, for servers that cannot bind port 0 and report it
 * (nginx). Another process could take it in between; on this machine that is rare enough.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
