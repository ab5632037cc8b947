// The refresh_token grant under load. A refresh token is single-use, so each request needs the
// token the previous answer returned: every chain signs in once (unmeasured), then refreshes in
// a closed loop with its newest token. autocannon cannot carry a value from one answer into the
// next request, hence this small client.
import os from "node:os";
import { figuresFromSamples, type LoadFigures } from "./load.js";

export type RefreshClient = { clientId: string; clientSecret: string };
type Credentials = { username: string; password: string };

const form = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };

async function tokenRequest(baseUrl: string, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: "POST",
    headers: form,
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Signed-in chains, each holding its newest refresh token between runs. */
export class RefreshChains {
  private constructor(
    private readonly baseUrl: string,
    private readonly client: RefreshClient,
    private readonly tokens: string[],
    readonly audience: string,
  ) {}

  static async signIn(baseUrl: string, client: RefreshClient, users: Credentials[], audience: string): Promise<RefreshChains> {
    const tokens = await Promise.all(
      users.map(async (user) => {
        const { status, body } = await tokenRequest(baseUrl, {
          grant_type: "password",
          client_id: client.clientId,
          client_secret: client.clientSecret,
          username: user.username,
          password: user.password,
          scope: "openid offline_access",
          audience,
        });
        if (status !== 200 || typeof body.refresh_token !== "string") throw new Error(`refresh chain sign-in answered ${status}: ${JSON.stringify(body)}`);
        return body.refresh_token;
      }),
    );
    return new RefreshChains(baseUrl, client, tokens, audience);
  }

  get chains(): number {
    return this.tokens.length;
  }

  /** Every chain refreshes back to back for the duration; a chain whose refresh fails stops. */
  async run(name: string, description: string, durationSeconds: number, round: number): Promise<LoadFigures> {
    const latenciesMs: number[] = [];
    const statusCodes: Record<string, number> = {};
    let errors = 0;
    let badBodies = 0;
    let badBodySample: string | null = null;
    const loadAverageBefore = os.loadavg()[0]!;
    const started = performance.now();
    const endsAt = started + durationSeconds * 1000;
    await Promise.all(
      this.tokens.map(async (_token, chain) => {
        while (performance.now() < endsAt) {
          const sent = performance.now();
          let answer;
          try {
            answer = await tokenRequest(this.baseUrl, {
              grant_type: "refresh_token",
              client_id: this.client.clientId,
              client_secret: this.client.clientSecret,
              refresh_token: this.tokens[chain]!,
            });
          } catch {
            errors++;
            return;
          }
          statusCodes[answer.status] = (statusCodes[answer.status] ?? 0) + 1;
          if (answer.status !== 200 || typeof answer.body.refresh_token !== "string" || typeof answer.body.access_token !== "string") {
            badBodies++;
            badBodySample ??= JSON.stringify(answer.body).slice(0, 400);
            return;
          }
          latenciesMs.push(performance.now() - sent);
          this.tokens[chain] = answer.body.refresh_token;
        }
      }),
    );
    return figuresFromSamples({
      scenario: name,
      description,
      round,
      connections: this.tokens.length,
      latenciesMs,
      answered: latenciesMs.length + badBodies,
      statusCodes,
      errors,
      badBodies,
      badBodySample,
      elapsedSeconds: (performance.now() - started) / 1000,
      loadAverageBefore,
    });
  }
}
