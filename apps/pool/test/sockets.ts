import net from "node:net";

/** Opens a raw TCP connection to the server. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resolves with everything the server sent once it closes the connection. */
export function untilClosed(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    socket.on("error", () => {});
    socket.once("close", () => resolve(received));
  });
}

/** Resolves with the bytes received once `predicate` holds for them. */
export function until(socket: net.Socket, predicate: (received: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = "";
    const onData = (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (predicate(received)) {
        socket.off("data", onData);
        resolve(received);
      }
    };
    socket.on("data", onData);
    socket.once("close", () => reject(new Error(`closed after ${JSON.stringify(received)}`)));
  });
}

/**
 * A TCP proxy that forwards the first `splitBytes` bytes of every client
 * connection one at a time with a pause between them, so the server sees
 * its protocol preface in fragments. Everything else passes as is.
 */
export async function tricklingProxy(target: number, splitBytes: number, pauseMs = 5): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    sockets.add(client).add(upstream);
    let left = splitBytes;
    let queue = Promise.resolve();
    client.on("data", (chunk: Buffer) => {
      queue = queue.then(async () => {
        for (let i = 0; i < chunk.length; ) {
          if (left > 0) {
            upstream.write(chunk.subarray(i, i + 1));
            left--;
            i++;
            await new Promise((r) => setTimeout(r, pauseMs));
          } else {
            upstream.write(chunk.subarray(i));
            break;
          }
        }
      });
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
