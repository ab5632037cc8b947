import { randomUUID } from "node:crypto";

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is sane, so traces join up across services; else a new one. */
export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && acceptable.test(given) ? given : randomUUID();
}
