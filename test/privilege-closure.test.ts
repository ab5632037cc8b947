// The privilege closure (issue 13): whatever a limited token does through any mutation the
// schema exposes, every principal whose credentials it ends up knowing or controlling holds no
// management scope it lacks itself; no principal is handed such a scope; the realm's privileged
// principals keep their credentials, identifiers and privileges; and the realm keeps an
// administrator.
//
// Actors: an m2m application holding one management scope, or a pair of them with a write scope
// among them. Each runs every mutation of the schema (walked from it: a new mutation is covered
// without editing this file) against the realm's most privileged principals, ordinary ones and
// its own, with inputs that try to attach every scope (see support/mutation-inputs.ts).
import type { GraphQLField } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../src/graphql/schema.js";
import { graphql, requestToken, tokenFor, type GraphQLResult } from "./support/api-client.js";
import { startTestGateway, type TestGateway } from "./support/gateway.js";
import {
  callOrder,
  callsFor,
  deletes,
  exceptions,
  leavesOf,
  schemaAdmits,
  UnfillableInput,
  type Arsenal,
  type GeneratedCall,
} from "./support/mutation-inputs.js";
import {
  actorDomain,
  actorLoginPrefix,
  actorScopeSets,
  allManagementScopes,
  arsenalOf,
  claimsOf,
  createActor,
  createFixtures,
  looksLikeJwt,
  managementScopesInClaims,
  readBaseline,
  readRealmState,
  restoreRealm,
  type Actor,
  type Baseline,
  type Fixtures,
  type RealmState,
} from "./support/privilege-fixtures.js";

const mutationFields = schema.getMutationType()!.getFields();
/** Claims that say when and as which token a JWT was signed: signing it anew may change them. */
const reSigningClaims = new Set(["iat", "nbf", "jti"]);
const mutationNames = Object.keys(mutationFields).filter((name) => !(name in exceptions));

/** Claims an updateJwt caller tries to add: authorization and profile claims, and one it may add. */
const forgedClaims = (fixtures: Fixtures) => [
  { permissions: allManagementScopes },
  { scope: allManagementScopes.join(" ") },
  { email: fixtures.administrator.email, email_verified: true },
  { "https://example.test/claims/plan": "gold" },
];

let gateway: TestGateway;
let baseline: Baseline;

beforeAll(async () => {
  gateway = await startTestGateway();
  baseline = await readBaseline(gateway);
});
afterAll(() => gateway?.close());

/** Every call of every mutation for this arsenal, or the reasons some mutation cannot be filled. */
function generateCalls(arsenal: Arsenal, kinds: Parameters<typeof callsFor>[3]): { calls: GeneratedCall[]; unfillable: string[] } {
  const calls: GeneratedCall[] = [];
  const unfillable: string[] = [];
  for (const name of mutationNames) {
    try {
      calls.push(...callsFor(schema, name, arsenal, kinds));
    } catch (error) {
      if (!(error instanceof UnfillableInput)) throw error;
      unfillable.push(`the generator cannot fill ${error.message}`);
    }
  }
  return { calls: calls.map((call, index) => ({ call, index })).sort((a, b) => callOrder(a.call) - callOrder(b.call) || a.index - b.index).map(({ call }) => call), unfillable };
}

const run = (token: string, call: GeneratedCall) => graphql(gateway, token, call.document, call.input ? { input: call.input } : {});

const describeCall = (call: GeneratedCall) =>
  `${call.mutation}(${[call.subject?.label, call.loadout === "all" ? null : call.loadout].filter(Boolean).join(", ")})`;

describe("the generator", () => {
  it("fills every mutation of the schema: the realm administrator runs each on ordinary targets without an error", { timeout: 120_000 }, async () => {
    expect(Object.keys(exceptions).filter((name) => !(name in mutationFields)), "exceptions naming no mutation").toEqual([]);
    await restoreRealm(gateway, baseline);
    const adminToken = await tokenFor(gateway);
    const benign = [{ "https://example.test/claims/plan": "gold" }];
    const sameCallOn = (targets: Fixtures, label: string, planned: GeneratedCall) =>
      callsFor(schema, planned.mutation, arsenalOf(targets, null, label, benign), ["ordinary"]).find(
        (candidate) => candidate.subject?.label === planned.subject?.label && candidate.loadout === planned.loadout,
      )!;
    const problems: string[] = [];
    const fixtures = await createFixtures(gateway, "generator");
    const { calls, unfillable } = generateCalls(arsenalOf(fixtures, null, "generator", benign), ["ordinary"]);
    problems.push(...unfillable);
    for (const [index, planned] of calls.entries()) {
      // A deletion gets targets of its own, so that it cannot spoil the next call's.
      const label = `generator-${index}`;
      const call = deletes(planned) ? sameCallOn(await createFixtures(gateway, label), label, planned) : planned;
      const result = await run(adminToken, call);
      const payload = result.data?.[call.mutation];
      if (result.errors || !payload) problems.push(`${describeCall(call)}: ${JSON.stringify(result.errors)}`);
      else if (/Error$/.test(payload.__typename)) problems.push(`${describeCall(call)}: ${JSON.stringify(payload)}`);
    }
    expect(problems).toEqual([]);
  });
});

/** Targets an earlier actor left as they were made, which the next one may attack in turn. */
let untouched: Fixtures | null = null;

describe("an application holding", () => {
  actorScopeSets().forEach((scopes, index) => {
    const label = scopes.join(" + ");
    it(`${label}: controls no principal above its scopes, grants none, changes no privileged principal, leaves an administrator`, { timeout: 120_000 }, async () => {
      const tag = `a${index}`;
      if (!untouched) await restoreRealm(gateway, baseline);
      const fixtures = untouched ?? (await createFixtures(gateway, tag));
      const actor = await createActor(gateway, await tokenFor(gateway), scopes, tag);
      const arsenal = arsenalOf(fixtures, actor, tag, forgedClaims(fixtures));
      const { calls, unfillable } = generateCalls(arsenal, ["privileged", "ordinary", "self"]);
      const watch = new Closure(gateway, fixtures, actor, arsenal, tag);
      const violations: string[] = [...unfillable];
      await watch.start();
      let changedSomething = false;
      for (const call of calls) {
        // A mutation the schema's scope rule refuses is refused whatever its input: one call shows it.
        if (watch.refusedBySchema(call) && calls.find((other) => other.mutation === call.mutation) !== call) continue;
        const result = await run(actor.token, call);
        violations.push(...(await watch.after(call, result)));
        changedSomething ||= !changedNothing(call, result);
      }
      untouched = changedSomething ? null : fixtures;
      expect(violations).toEqual([]);
    });
  });
});

/**
 * Whether the call certainly changed nothing: refused as a whole (every error about the
 * mutation field itself, not a field of its payload), or answered with a typed error.
 */
function changedNothing(call: GeneratedCall, result: GraphQLResult): boolean {
  const payload = result.data?.[call.mutation];
  if (payload) return /Error$/.test(payload.__typename);
  return (result.errors ?? []).length > 0 && result.errors!.every((error) => (error.path ?? []).length <= 1);
}

/**
 * What one actor knows and controls, and the realm as it last saw it. After each call it
 * returns the promises the call broke, each said once.
 */
class Closure {
  private state!: RealmState;
  private readonly held: Set<string>;
  /** Principal ("user:usr_…") → how the actor came to control it. */
  private readonly controlled = new Map<string, string>();
  private readonly reported = new Set<string>();
  private readonly names: Map<string, string>;

  constructor(
    private readonly gateway: TestGateway,
    private readonly fixtures: Fixtures,
    private readonly actor: Actor,
    private readonly arsenal: Arsenal,
    private readonly tag: string,
  ) {
    this.held = new Set(actor.scopes);
    this.controlled.set(`application:${actor.applicationId}`, "itself");
    this.names = new Map([
      [`user:${fixtures.administrator.id}`, "the administrator user"],
      [`user:${fixtures.ordinaryUser.id}`, "an ordinary user"],
      [`application:${fixtures.adminApplicationId}`, "the bootstrap admin application"],
      [`application:${fixtures.ordinaryApp.id}`, "an ordinary application"],
      [`application:${actor.applicationId}`, "its own application"],
      [`role:${fixtures.adminRoleId}`, "the admin role"],
      [`role:${fixtures.ordinaryRoleId}`, "an ordinary role"],
      [`role:${actor.roleId}`, "its own role"],
      [`managementKey:${fixtures.adminKeyId}`, "the all-scope management key"],
      [`managementKey:${fixtures.ordinaryKeyId}`, "a users:read management key"],
    ]);
  }

  async start() {
    this.state = await readRealmState(this.gateway.database.prisma, this.fixtures);
  }

  private nameOf(principal: string) {
    return this.names.get(principal) ?? principal.replace(":", " ");
  }

  private lacking(scopes: Iterable<string>): string[] {
    return [...new Set(scopes)].filter((scope) => !this.held.has(scope)).sort();
  }

  private once(message: string, key = message): string[] {
    if (this.reported.has(key)) return [];
    this.reported.add(key);
    return [message];
  }

  /** Whether the schema's own scope rule refuses the call, before any resolver runs. */
  refusedBySchema(call: GeneratedCall): boolean {
    const field = mutationFields[call.mutation] as GraphQLField<unknown, unknown>;
    return schemaAdmits(field, { scopes: this.held, adminRealm: true, signedInUser: false }) === false;
  }

  async after(call: GeneratedCall, result: GraphQLResult): Promise<string[]> {
    const at = describeCall(call);
    // Refused by the schema's scope rule: nothing ran, nothing to look at but the refusal.
    if (this.refusedBySchema(call)) {
      return result.data?.[call.mutation] ? this.once(`${at}: the schema's scope rule should have refused it, yet it answered`) : [];
    }
    const before = this.state;
    const after = (this.state = await readRealmState(this.gateway.database.prisma, this.fixtures));
    const violations: string[] = [];

    // Grant ceiling: nobody gains a management scope the actor lacks.
    for (const [principal, scopes] of after.scopes) {
      const missing = this.lacking([...scopes].filter((scope) => !before.scopes.get(principal)?.has(scope)));
      if (missing.length > 0) violations.push(`${at}: ${this.nameOf(principal)} gained ${missing.join(" ")}`);
    }

    // Target ceiling: the privileged principals hold scopes every actor lacks, so none of them may change.
    for (const [target, fields] of after.privileged) {
      const previous = before.privileged.get(target) ?? {};
      const changed = Object.keys({ ...fields, ...previous }).filter((key) => fields[key] !== previous[key]);
      if (changed.length > 0) violations.push(`${at}: changed ${target} (${changed.join(", ")})`);
    }

    // Closure: what the actor now controls, and the credentials the answer handed it.
    this.learnControlled(call, before, after);
    violations.push(...(await this.credentialsIn(at, call, result, before, after)));
    for (const [principal, how] of this.controlled) {
      const missing = this.lacking(after.scopes.get(principal) ?? []);
      if (missing.length > 0) {
        violations.push(...this.once(`${at}: it controls ${this.nameOf(principal)} (${how}), which holds ${missing.join(" ")}`, `${principal} ${missing}`));
      }
    }

    if (!after.hasAdministrator) violations.push(...this.once(`${at}: the realm has no administrator left`, "administrator"));
    return violations;
  }

  /** Users it created or whose password, email or login id it set; applications and keys it created. */
  private learnControlled(call: GeneratedCall, before: RealmState, after: RealmState) {
    // The call is the only writer: a password that changed while it carried the actor's is the actor's.
    const setsPassword = JSON.stringify(call.input ?? {}).includes(this.arsenal.password);
    const control = (principal: string, how: string) => {
      if (!this.controlled.has(principal)) this.controlled.set(principal, how);
    };
    for (const [id, user] of after.users) {
      const previous = before.users.get(id);
      if (!previous) control(`user:${id}`, "created by it");
      else if (user.email !== previous.email && user.email?.endsWith(`@${actorDomain(this.tag)}`)) control(`user:${id}`, "its email set to the actor's address");
      else if (user.username !== previous.username && user.username?.startsWith(actorLoginPrefix(this.tag))) control(`user:${id}`, "its login id set by the actor");
      else if (setsPassword && user.passwordHash && user.passwordHash !== previous.passwordHash) {
        control(`user:${id}`, "its password set by the actor");
      }
    }
    for (const id of after.applicationIds) if (!before.applicationIds.has(id)) control(`application:${id}`, "created by it");
    for (const id of after.keyIds) if (!before.keyIds.has(id)) control(`managementKey:${id}`, "created by it, its key in the answer");
  }

  /** Client secrets in the answer (each tried at the token endpoint) and tokens in it (their claims). */
  private async credentialsIn(at: string, call: GeneratedCall, result: GraphQLResult, before: RealmState, after: RealmState): Promise<string[]> {
    const violations: string[] = [];
    const leaves = leavesOf(result.data);
    const secrets = leaves.filter((leaf) => /secret/i.test(leaf.field) && typeof leaf.value === "string").map((leaf) => leaf.value as string);
    if (secrets.length > 0) {
      const applicationIds = [
        ...(call.subject?.entity === "Application" ? [call.subject.id] : []),
        ...[...after.applicationIds].filter((id) => !before.applicationIds.has(id)),
      ];
      const rows = await this.gateway.database.prisma.application.findMany({ where: { id: { in: applicationIds } }, select: { id: true, clientId: true } });
      for (const { id, clientId } of rows) {
        for (const secret of secrets) {
          const response = await requestToken(this.gateway, { grant_type: "client_credentials", client_id: clientId, client_secret: secret });
          if (response.status !== 200) continue;
          const granted = String((await response.json()).scope ?? "").split(" ");
          this.controlled.set(`application:${id}`, this.controlled.get(`application:${id}`) ?? "its secret in the answer");
          const missing = this.lacking(granted.filter((scope) => allManagementScopes.includes(scope)));
          if (missing.length > 0) violations.push(`${at}: its answer's secret gets a token of ${this.nameOf(`application:${id}`)} carrying ${missing.join(" ")}`);
        }
      }
    }
    for (const jwt of leaves.map((leaf) => leaf.value).filter(looksLikeJwt)) {
      const claims = claimsOf(jwt);
      const missing = this.lacking(managementScopesInClaims(claims));
      if (missing.length > 0) violations.push(`${at}: its answer holds a token carrying ${missing.join(" ")}`);
      // A re-signed token may differ from the one given only in namespaced claims (and when it was signed).
      const original = typeof call.input?.jwt === "string" ? claimsOf(call.input.jwt) : {};
      const forged = Object.keys(claims).filter(
        (claim) => !/^https?:\/\//.test(claim) && !reSigningClaims.has(claim) && JSON.stringify(claims[claim]) !== JSON.stringify(original[claim]),
      );
      if (forged.length > 0) violations.push(`${at}: its answer holds a token with claims it may not set: ${forged.join(", ")}`);
    }
    return violations;
  }
}
