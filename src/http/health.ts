import type { Database } from "../db/database.js";

/** How long /readyz waits for the database before calling it unreachable. */
const readinessTimeoutMs = 2_000;

export async function readiness(database: Database): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      database.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), readinessTimeoutMs);
      }),
    ]);
    return Response.json({ status: "ready", database: "reachable" });
  } catch {
    return Response.json({ status: "unavailable", database: "unreachable" }, { status: 503 });
  } finally {
    clearTimeout(timer);
  }
}
