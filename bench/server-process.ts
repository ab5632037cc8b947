// The gateway under load runs as its own process, started the way an operator starts it:
// `node --import tsx src/main.ts`, node spawned directly so that signals reach the real server.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const repositoryRoot = fileURLToPath(new URL("..", import.meta.url));

export type ServerProcess = {
  pid: number;
  baseUrl: string;
  /** Milliseconds from spawn until GET /readyz first answered 200. */
  readyMs: number;
  /** Resident and peak resident memory of the server process, in KiB (null once it has exited). */
  memory(): { rssKb: number; peakRssKb: number } | null;
  /** Everything the server wrote to stderr (and stdout) so far, for diagnostics. */
  output(): string;
  /**
   * Resolves once the server has used almost no CPU for two samples in a row: requests left in
   * flight by a finished load run (autocannon drops its sockets, the server still serves them)
   * must not be billed to the next run. Returns how long that took.
   */
  settle(timeoutMs?: number): Promise<number>;
  /** CPU time (user + system) the server has used so far, in ms (10 ms resolution); null once it has exited. */
  cpuMs(): number | null;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<number | string>;
};

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("could not find a free port");
  return address.port;
}

const running = new Set<ChildProcess>();

/** Kills whatever server is still running; for the bench's own signal and exit handlers. */
export function killRunningServers(): void {
  for (const child of running) child.kill("SIGKILL");
}

/**
 * Starts the gateway with `env` on top of a minimal environment (nothing of the caller's
 * DATABASE_URL, REDIS_URL or USERGATE_* leaks in) and waits until /readyz answers 200.
 */
export async function startServer(env: Record<string, string>, readyTimeoutMs = 90_000): Promise<ServerProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // BENCH_CPU_PROF_DIR=<dir> writes a V8 CPU profile of the gateway there when it exits.
  const profile = process.env.BENCH_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "src/main.ts"], {
    cwd: repositoryRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const keep = (chunk: string) => {
    output += chunk;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.setEncoding("utf8").on("data", keep);
  child.stderr!.setEncoding("utf8").on("data", keep);
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? "unknown");
    });
  });
  let exitCode: number | string | null = null;
  void exited.then((code) => (exitCode = code));

  const stop = async (graceMs = 15_000) => {
    if (exitCode !== null) return exitCode;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const deadline = started + readyTimeoutMs;
  for (;;) {
    if (exitCode !== null) {
      throw new Error(`the gateway exited (${exitCode}) before it was ready; its output:\n${output}`);
    }
    if (performance.now() > deadline) {
      await stop(2_000);
      throw new Error(`the gateway was not ready after ${readyTimeoutMs} ms; its output:\n${output}`);
    }
    if (await answersReady(baseUrl)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const readyMs = performance.now() - started;

  return {
    pid: child.pid!,
    baseUrl,
    readyMs,
    memory: () => (exitCode === null ? memoryOf(child.pid!) : null),
    output: () => output,
    settle: (timeoutMs = 120_000) => settle(child.pid!, timeoutMs),
    cpuMs: () => {
      const ticks = cpuTicks(child.pid!);
      return ticks === null ? null : ticks * msPerTick;
    },
    stop,
  };
}

async function answersReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

function memoryOf(pid: number): { rssKb: number; peakRssKb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssKb: field("VmRSS"), peakRssKb: field("VmHWM") };
  } catch {
    return null;
  }
}

/** USER_HZ: /proc reports CPU times in 1/100 s on Linux, whatever the kernel's tick rate. */
const msPerTick = 10;

/** CPU time (user + system) the process has used, in clock ticks. */
function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

const settleSampleMs = 250;
/** At most this many ticks per sample (20 ms of 250 ms, 8% of one core) counts as idle. */
const idleTicks = 2;

async function settle(pid: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  let previous = cpuTicks(pid);
  let quietSamples = 0;
  while (previous !== null && quietSamples < 2 && performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, settleSampleMs));
    const current = cpuTicks(pid);
    if (current === null) break;
    quietSamples = current - previous <= idleTicks ? quietSamples + 1 : 0;
    previous = current;
  }
  return performance.now() - started;
}
