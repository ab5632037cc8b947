import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { AttemptOrigin } from "../auth/sign-in.js";

/**
 * The client's address and user agent. The socket address is used, not X-Forwarded-For: trusting
 * that header needs a configured proxy, else any caller could dodge the sign-in lockout with it.
 */
export function originOf(c: Context): AttemptOrigin {
  let ip: string | null = null;
  try {
    ip = getConnInfo(c).remote.address ?? null;
  } catch {
    ip = null; // requests handed to app.fetch directly (tests) have no socket
  }
  return { ip, userAgent: c.req.header("user-agent") ?? null };
}
