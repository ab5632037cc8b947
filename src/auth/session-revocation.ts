// Access tokens of a user carry their session id (`sid`). Ending a session must stop them too,
// not only its refresh tokens: each process re-reads a session's state at most every
// `recheckMs`, which bounds how long a revoked session's access token keeps working.
import type { PrismaClient } from "../generated/prisma/client.js";

export const sessionRecheckMs = 5_000;

export class SessionRevocation {
  private readonly checked = new Map<string, { active: boolean; atMs: number }>();

  constructor(
    private readonly prisma: Pick<PrismaClient, "session">,
    private readonly maxEntries = 50_000,
  ) {}

  async isActive(sessionId: string): Promise<boolean> {
    const now = Date.now();
    const known = this.checked.get(sessionId);
    if (known && now - known.atMs < sessionRecheckMs) return known.active;
    const session = await this.prisma.session.findUnique({
      where: { id: sessionId },
      select: { revokedAt: true, expiresAt: true, user: { select: { status: true } } },
    });
    const active =
      session !== null &&
      session.revokedAt === null &&
      session.expiresAt.getTime() > now &&
      (session.user.status === "active" || session.user.status === "invited");
    if (this.checked.size >= this.maxEntries) this.checked.delete(this.checked.keys().next().value!);
    this.checked.set(sessionId, { active, atMs: now });
    return active;
  }

  /** This process ended the session: forget the cached state at once. */
  forget(sessionId: string): void {
    this.checked.delete(sessionId);
  }
}
