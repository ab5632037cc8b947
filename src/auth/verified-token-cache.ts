// Verified bearer tokens, so each signature is checked once per process rather than on every
// request. Bounded: when full, the oldest entry goes. An entry is never used past its expiry.
export class VerifiedTokenCache<Value> {
  private readonly entries = new Map<string, { value: Value; validUntilMs: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(token: string, nowMs = Date.now()): Value | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.validUntilMs <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  set(token: string, value: Value, validUntilMs: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { value, validUntilMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
