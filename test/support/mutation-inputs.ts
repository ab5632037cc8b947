// Calls for every mutation of the schema, generated from the schema itself: each mutation's
// input is filled by walking its input type, aimed at a subject (the principal the mutation is
// about) and loaded with everything that attaches privileges. A new mutation is covered without
// editing a test; one whose input cannot be filled is reported by name, never skipped.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";

/** What a mutation can be about; each has target principals of its own. */
export const entities = ["ManagementKey", "Application", "Resource", "Session", "Tenant", "Realm", "Scope", "Role", "User"] as const;
export type Entity = (typeof entities)[number];

/** A principal or object a call is aimed at. */
export type Target = {
  entity: Entity;
  id: string;
  /** How the report names it, e.g. "administrator user". */
  label: string;
  /** privileged: holds every management scope (or is the management API); self: the actor's own. */
  kind: "privileged" | "ordinary" | "self";
  /** Users only: an access token of theirs, one linked identity. */
  accessToken?: string;
  identityId?: string;
};

/** The values an actor puts into its calls: fixed targets and what it tries to attach. */
export type Arsenal = {
  targets: Target[];
  /** Roles it tries to hand out (the realm's admin role). */
  roleIds: string[];
  /** Every management scope of the realm, by id; by name, every one a management key may hold. */
  scopeIds: string[];
  scopeNames: string[];
  applicationIds: string[];
  tenantId: string;
  /** The password every call of this actor sets; it knows it. */
  password: string;
  /** Fresh values the actor owns: emails at its own domain, login ids with its own prefix. */
  fresh(kind: "email" | "username" | "name" | "indicator" | "text"): string;
  /** Claims an updateJwt caller tries to forge, one attempt each (a reserved one would refuse them all). */
  forgedClaims: Array<Record<string, unknown>>;
};

export type GeneratedCall = {
  mutation: string;
  /** The subject of the call, when it has one. */
  subject: Target | null;
  /** Which optional privilege fields were filled: "all", "without roles and scopes", "required", or the claims tried. */
  loadout: string;
  input: Record<string, unknown> | null;
  /** `mutation($input: …!) { name(input: $input) { … } }` selecting every secret and id it returns. */
  document: string;
};

/** Mutations the generator leaves out, each with the reason. */
export const exceptions: Record<string, string> = {
  changeMyPassword: "needs the signed-in user's own token and current password; an m2m actor cannot call it",
};

/** Optional fields that attach privileges or take over identities: filled whenever an input has them. */
const privilegeFields = ["roleIds", "scopeIds", "scopes", "password", "email", "emailVerified", "username", "status", "tokenLifetime"];
/** The fields the grant ceiling refuses whatever the subject: they must not hide what the others do. */
const grantFields = ["roleIds", "scopeIds", "scopes"];

/** The entity a mutation's subject is, from the required field that names it; "unknown" when it cannot tell. */
function subjectEntity(mutation: string, fields: GraphQLInputField[]): Entity | "unknown" | null {
  const required = fields.filter((field) => isNonNullType(field.type)).map((field) => field.name);
  if (required.includes("id") || required.includes("ids")) return entityOfMutation(mutation) ?? "unknown";
  const byName: Record<string, Entity> = { userId: "User", applicationId: "Application", roleId: "Role", resourceId: "Resource", jwt: "User" };
  return required.map((name) => byName[name]).find(Boolean) ?? null;
}

/** `deleteApplication` → Application, `expireUserPassword` → User, `deleteUsers` → User. */
export function entityOfMutation(mutation: string): Entity | null {
  const rest = mutation.replace(/^[a-z]+/, "");
  return entities.find((entity) => rest.startsWith(entity)) ?? null;
}

export class UnfillableInput extends Error {}

/**
 * Every call the actor makes for one mutation: one per target of its subject's entity (of the
 * given kinds), each with every privilege field filled, and once more without the roles and
 * scopes when it has other privilege fields (a refused grant must not hide what they would do).
 */
export function callsFor(schema: GraphQLSchema, mutation: string, arsenal: Arsenal, kinds: Target["kind"][]): GeneratedCall[] {
  const field = schema.getMutationType()!.getFields()[mutation]!;
  const document = (withInput: boolean) =>
    withInput
      ? `mutation($input: ${String(field.args[0]!.type)}) { ${mutation}(input: $input) { ${selectionOf(field.type)} } }`
      : `mutation { ${mutation} { ${selectionOf(field.type)} } }`;
  if (field.args.length === 0) return [{ mutation, subject: null, loadout: "required", input: null, document: document(false) }];
  if (field.args.length !== 1 || field.args[0]!.name !== "input") throw new UnfillableInput(`${mutation}: arguments other than one input`);

  const inputType = getNamedType(field.args[0]!.type);
  if (!isInputObjectType(inputType)) throw new UnfillableInput(`${mutation}: input is not an input object`);
  const fields = Object.values(inputType.getFields());
  const entity = subjectEntity(mutation, fields);
  if (entity === "unknown") throw new UnfillableInput(`${mutation}: cannot tell which entity its id names`);
  const subjects: Array<Target | null> = entity ? arsenal.targets.filter((target) => target.entity === entity && kinds.includes(target.kind)) : [null];
  if (subjects.length === 0) throw new UnfillableInput(`${mutation}: no ${entity} to aim it at`);

  const all = privilegeFields.filter((name) => fieldsDeep(inputType).has(name));
  const withoutGrants = all.filter((name) => !grantFields.includes(name));
  const loadouts: Array<[string, Set<string>]> = [["all", new Set(all)]];
  if (withoutGrants.length > 0 && withoutGrants.length < all.length) loadouts.push(["without roles and scopes", new Set(withoutGrants)]);

  const calls: GeneratedCall[] = [];
  for (const target of subjects) {
    for (const [loadout, optional] of loadouts) {
      const claimSets = fieldsDeep(inputType).has("customClaims") ? arsenal.forgedClaims : [undefined];
      for (const claims of claimSets) {
        const fill = new InputFiller(mutation, arsenal, target, optional, claims);
        const input = fill.object(inputType.name, fields);
        calls.push({ mutation, subject: target, loadout: claims ? `claims ${Object.keys(claims).join(",")}` : loadout, input, document: document(true) });
      }
    }
  }
  return calls;
}

function fieldsDeep(type: GraphQLNamedType, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (!isInputObjectType(type) || seen.has(type.name)) return names;
  seen.add(type.name);
  for (const field of Object.values(type.getFields())) {
    names.add(field.name);
    for (const nested of fieldsDeep(getNamedType(field.type), seen)) names.add(nested);
  }
  return names;
}

class InputFiller {
  constructor(
    private readonly mutation: string,
    private readonly arsenal: Arsenal,
    private readonly subject: Target | null,
    private readonly optional: Set<string>,
    private readonly claims: Record<string, unknown> | undefined,
  ) {}

  object(typeName: string, fields: GraphQLInputField[]): Record<string, unknown> {
    const input: Record<string, unknown> = {};
    const fill = (field: GraphQLInputField) => {
      input[field.name] = this.value(`${typeName}.${field.name}`, field.name, field.type, isNonNullType(field.type));
    };
    fields.filter((field) => isNonNullType(field.type) || this.optional.has(field.name)).forEach(fill);
    // An update must change something: without a privilege field, it sets the first it can by name.
    if (!fields.some((field) => !isNonNullType(field.type) && field.name in input)) {
      const settable = fields.find((field) => !isNonNullType(field.type) && !/Ids?$/.test(field.name) && this.byName(field.name, false) !== undefined);
      if (settable) fill(settable);
    }
    return input;
  }

  private value(path: string, name: string, type: GraphQLInputType, required: boolean): unknown {
    const unwrapped = isNonNullType(type) ? type.ofType : type;
    const named = getNamedType(unwrapped);
    const byName = this.byName(name, required);
    if (byName !== undefined) return byName;
    if (isListType(unwrapped)) return [this.value(path, name, unwrapped.ofType, true)];
    if (isInputObjectType(named)) return this.object(named.name, Object.values(named.getFields()));
    if (isEnumType(named)) return named.getValues()[0]!.value;
    if (isScalarType(named)) {
      switch (named.name) {
        case "String":
          return this.arsenal.fresh("text");
        case "Int":
          return 1;
        case "Boolean":
          return true;
        case "DateTime":
          return new Date(Date.now() + 86_400_000).toISOString();
        case "JSONObject":
          return { note: "set by the actor" };
      }
    }
    throw new UnfillableInput(`${this.mutation}: no value for ${path} (${String(type)})`);
  }

  /** Values chosen by the field's name: the subject, the privileges to attach, identities to take. */
  private byName(name: string, required: boolean): unknown {
    const { arsenal, subject } = this;
    const targetOf = (entity: Entity) => arsenal.targets.find((target) => target.entity === entity && target.kind === "ordinary")?.id;
    switch (name) {
      case "id":
        return subject?.id;
      case "ids":
        return subject ? [subject.id] : undefined;
      case "userId":
        return subject?.entity === "User" ? subject.id : targetOf("User");
      case "applicationId":
        return subject?.entity === "Application" ? subject.id : required ? targetOf("Application") : undefined;
      case "roleId":
        return subject?.entity === "Role" ? subject.id : targetOf("Role");
      case "resourceId":
        return required ? (subject?.entity === "Resource" ? subject.id : targetOf("Resource")) : undefined;
      case "identityId":
        return subject?.identityId;
      case "jwt":
        return subject?.accessToken;
      case "tenantId":
        return required ? arsenal.tenantId : undefined;
      case "roleIds":
        return arsenal.roleIds;
      case "scopeIds":
        return arsenal.scopeIds;
      case "scopes":
        return arsenal.scopeNames;
      case "applicationIds":
        return arsenal.applicationIds;
      case "customClaims":
        return this.claims;
      case "password":
      case "newPassword":
        return arsenal.password;
      case "email":
        return arsenal.fresh("email");
      case "emailVerified":
        return true;
      case "username":
        return arsenal.fresh("username");
      case "name":
      case "displayName":
        return arsenal.fresh("name");
      case "indicator":
        return arsenal.fresh("indicator");
      case "phone":
        return "+14155550123";
      case "picture":
        return "https://example.test/picture.png";
      case "provider":
        return "github";
      case "type":
        return "m2m";
      case "status":
        // Suspending is what a required status can do to a principal; a created one is made usable.
        return required ? "suspended" : "active";
      case "tokenLifetime":
        return 86_400;
    }
    return undefined;
  }
}

/**
 * What a call's result selects: the payload's own scalars (secrets, keys, tokens), and of every
 * object in it only the id, so that a payload never fails on a field its read scope guards.
 * Fields are aliased by type, since members of a union may share a name with another type.
 */
export function selectionOf(type: GraphQLField<unknown, unknown>["type"], depth = 0): string {
  const named = getNamedType(type);
  if (isUnionType(named)) return `__typename ${named.getTypes().map((member) => `... on ${member.name} { ${fieldsOf(member, depth)} }`).join(" ")}`;
  if (isInterfaceType(named)) return `__typename ${Object.values(named.getFields()).filter((field) => isLeaf(field)).map((field) => field.name).join(" ")}`;
  if (isObjectType(named)) return `__typename ${fieldsOf(named, depth)}`;
  return "";
}

function isLeaf(field: GraphQLField<unknown, unknown>): boolean {
  const named = getNamedType(field.type);
  return isScalarType(named) || isEnumType(named);
}

function fieldsOf(type: GraphQLObjectType, depth: number): string {
  const fields = Object.values(type.getFields()).filter((field) => field.args.every((arg) => !isNonNullType(arg.type)));
  if (depth > 0 && type.getFields().id) return "id";
  return fields
    .map((field) => {
      const alias = `${type.name}__${field.name}`;
      if (isLeaf(field)) return `${alias}: ${field.name}`;
      if (depth >= 2) return "";
      return `${alias}: ${field.name} { ${selectionOf(field.type, depth + 1)} }`;
    })
    .join(" ");
}

/** Every scalar of a response, with the name of its field (aliases undone). */
export function leavesOf(value: unknown, field = ""): Array<{ field: string; value: unknown }> {
  if (Array.isArray(value)) return value.flatMap((item) => leavesOf(item, field));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, nested]) => leavesOf(nested, key.replace(/^[A-Z][A-Za-z0-9]*__/, "")));
  }
  return [{ field, value }];
}

/** Calls that remove their subject (later calls on it would find nothing). */
export const deletes = (call: GeneratedCall) => /^delete/.test(call.mutation);

/**
 * The order of an actor's calls: re-signing a user's token first (it needs the user's session,
 * which a password change ends), then those that only add or change, then those that take
 * something away, then deletions, and the calls on the actor's own principals last of all.
 */
export function callOrder(call: GeneratedCall): number {
  if (call.mutation === "updateJwt") return -1;
  if (call.subject?.kind === "self") return /^rotate/.test(call.mutation) ? 4 : 3;
  if (deletes(call)) return 2;
  return /^(remove|revoke|logout|expire|unlink|setUserStatus)/.test(call.mutation) ? 1 : 0;
}

/** Who is calling, as the schema's scope rules see it. */
export type Caller = { scopes: ReadonlySet<string>; adminRealm: boolean; signedInUser: boolean };

/**
 * Whether the schema's own scope rule (a field's Pothos authScopes) admits the caller, so that a
 * refusal can be told apart from one by the privilege policy; null when the rule is a function.
 * A rule object passes when any of its entries does; `$all` when each of its entries does.
 */
export function schemaAdmits(field: GraphQLField<unknown, unknown>, caller: Caller): boolean | null {
  const rule = (field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes;
  return ruleAdmits(rule, caller, "any");
}

function ruleAdmits(rule: unknown, caller: Caller, mode: "any" | "all"): boolean | null {
  if (typeof rule !== "object" || rule === null) return null;
  const results = Object.entries(rule).map(([key, value]): boolean | null => {
    if (key === "$all") return ruleAdmits(value, caller, "all");
    if (key === "$any") return ruleAdmits(value, caller, "any");
    if (key === "scope") return caller.scopes.has(String(value));
    if (key === "adminRealm") return caller.adminRealm === value;
    if (key === "signedInUser") return caller.signedInUser === value;
    if (key === "authenticated" || key === "public") return true;
    return null;
  });
  if (results.includes(null)) return null;
  return mode === "all" ? results.every(Boolean) : results.some(Boolean);
}
