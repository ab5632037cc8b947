// The real gateway process (`node --import tsx src/main.ts`), spawned as an operator starts it,
// with its output captured for assertions. Node itself is spawned, not npx, so signals reach it.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));

export type LogLine = { msg?: string; level?: number; [field: string]: unknown };

export type GatewayProcess = {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** stdout parsed as pino JSON lines (lines that are not JSON are skipped). */
  logs(): LogLine[];
  /** Resolves once the "usergate listening" line is logged; rejects if the process exits first. */
  listening: Promise<void>;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | string>;
};

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Starts the gateway with exactly `env` on top of a clean environment (PATH and HOME kept; none
 * of this test run's DATABASE_URL or USERGATE_* leaks in). HOST defaults to 127.0.0.1 and PORT
 * to a free port.
 */
export async function spawnGateway(
  env: Record<string, string>,
  script = "src/main.ts",
): Promise<GatewayProcess> {
  const port = env.PORT ?? String(await freePort());
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    HOST: "127.0.0.1",
    PORT: port,
    LOG_LEVEL: "info",
    ...env,
  };
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: repositoryRoot,
    env: fullEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));

  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  const logs = () =>
    stdout.split("\n").flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  const listening = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (logs().some((line) => line.msg === "usergate listening")) {
        child.stdout!.off("data", onData);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) =>
      reject(new Error(`the gateway exited (${code}) before listening; stderr:\n${stderr}\nstdout:\n${stdout}`)),
    );
  });
  listening.catch(() => {});

  return {
    child,
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    stdout: () => stdout,
    stderr: () => stderr,
    logs,
    listening,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/**
 * Runs the gateway (or another entry `script`, e.g. src/db/migrate-cli.ts) until it exits on its
 * own, at most `timeoutMs`.
 */
export async function runGatewayToExit(env: Record<string, string>, script = "src/main.ts", timeoutMs = 90_000) {
  const gateway = await spawnGateway(env, script);
  const timer = setTimeout(() => gateway.child.kill("SIGKILL"), timeoutMs);
  const code = await gateway.exited;
  clearTimeout(timer);
  return { code, stdout: gateway.stdout(), stderr: gateway.stderr() };
}
