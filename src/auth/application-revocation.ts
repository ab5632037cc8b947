// Access tokens of an application name the token generation they were issued under (`gen`).
// Deleting the application removes its row; rotating its secret or changing its roles moves the
// generation on (services/application-tokens.ts). Each process re-reads an application's
// generation at most every `applicationRecheckMs`, which bounds how long an earlier token works.
import type { PrismaClient } from "../generated/prisma/client.js";

export const applicationRecheckMs = 5_000;

export class ApplicationRevocation {
  /** The generation last read per client id; null when the application is gone. */
  private readonly checked = new Map<string, { generation: number | null; atMs: number }>();

  constructor(
    private readonly prisma: Pick<PrismaClient, "application">,
    private readonly maxEntries = 10_000,
  ) {}

  /** Whether a token of the application issued under `generation` still works. */
  async isCurrent(clientId: string, generation: number): Promise<boolean> {
    const now = Date.now();
    const known = this.checked.get(clientId);
    // A token newer than the generation read here was issued after a change this process has not
    // seen yet (a rotated secret's first token): read again rather than refuse it.
    if (known && now - known.atMs < applicationRecheckMs && generation <= (known.generation ?? Infinity)) {
      return known.generation === generation;
    }
    const application = await this.prisma.application.findUnique({ where: { clientId }, select: { tokenGeneration: true } });
    const current = application?.tokenGeneration ?? null;
    this.checked.delete(clientId);
    if (this.checked.size >= this.maxEntries) this.checked.delete(this.checked.keys().next().value!);
    this.checked.set(clientId, { generation: current, atMs: now });
    return current === generation;
  }
}
