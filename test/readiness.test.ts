// /healthz says the process is up; /readyz says whether it can reach its database right now,
// so a load balancer stops sending traffic during an outage and resumes without a restart.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startTestGateway, type TestGateway } from "./support/gateway.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

const postgresTemplate = inject("postgresTemplate");

describe("with the database reachable", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway?.close());

  it("/healthz answers 200", async () => {
    const response = await gateway.request("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz answers 200", async () => {
    const response = await gateway.request("/readyz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready", database: "reachable" });
  });
});

describe.skipIf(!postgresTemplate)("when the PostgreSQL server becomes unreachable at run time", () => {
  let proxy: TcpProxy;
  let gateway: TestGateway;
  beforeAll(async () => {
    const server = new URL(postgresTemplate!.url);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    gateway = await startTestGateway(
      {},
      {
        connectVia: (url) => {
          const throughProxy = new URL(url);
          throughProxy.hostname = "127.0.0.1";
          throughProxy.port = String(proxy.port);
          return throughProxy.toString();
        },
      },
    );
  });
  afterAll(async () => {
    await proxy?.start();
    await gateway?.close();
    await proxy?.stop();
  });

  async function timedReadiness() {
    const started = performance.now();
    const response = await gateway.request("/readyz");
    return { status: response.status, body: await response.json(), ms: performance.now() - started };
  }

  it("/readyz answers 200 through the proxy", async () => {
    expect((await timedReadiness()).status).toBe(200);
  });

  it("/readyz answers 503 within 3 s while the server is unreachable, and /healthz stays 200", async () => {
    await proxy.stop();
    for (let attempt = 0; attempt < 3; attempt++) {
      const readiness = await timedReadiness();
      expect(readiness.status).toBe(503);
      expect(readiness.body).toEqual({ status: "unavailable", database: "unreachable" });
      expect(readiness.ms).toBeLessThan(3_000);
    }
    expect((await gateway.request("/healthz")).status).toBe(200);
  });

  it("/readyz answers 200 again once the server is back, without a restart", async () => {
    await proxy.start();
    expect((await timedReadiness()).status).toBe(200);
  });

  it("serves data again after the outage", async () => {
    expect(await gateway.database.prisma.realm.count()).toBe(1);
  });
});
