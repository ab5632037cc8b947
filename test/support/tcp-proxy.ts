// A TCP proxy to put between the gateway and its database server, to simulate an outage:
// `stop()` closes the port and cuts every open connection; `start()` listens again on the same port.
import { createConnection, createServer, type Server, type Socket } from "node:net";

export type TcpProxy = {
  /** The port the proxy listens on; stays the same across stop/start. */
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };

  const listen = async () => {
    const listening = createServer((client) => {
      const upstream = createConnection(target);
      track(client);
      track(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      listening.once("error", reject);
      listening.listen(port, "127.0.0.1", () => resolve());
    });
    const address = listening.address();
    if (address === null || typeof address === "string") throw new Error("the proxy has no port");
    port = address.port;
    server = listening;
  };

  await listen();
  return {
    get port() {
      return port;
    },
    async start() {
      if (!server) await listen();
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (!closing) return;
      const closed = new Promise((resolve) => closing.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
