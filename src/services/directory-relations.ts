// Relations between directory rows (a user's roles, tenants and applications, a role's scopes,
// an application's roles, …) read for many owners at once, every kind asked for in one statement:
// the relations of a whole users page cost one statement per level of nesting, whatever the page
// size and however many kinds it selects. Targets come back as whole rows of the caller's realm,
// the way Prisma returns them, ordered by the target's id (grants by tenant first).
import type { Application, Resource, Role, Scope, Tenant } from "../generated/prisma/client.js";
import type { SqlReader } from "../db/sql-reader.js";

type Targets = {
  /** Roles granted to a user; `via` is the tenant of a tenant role, null realm-wide. */
  rolesOfUser: Role;
  tenantsOfUser: Tenant;
  applicationsOfUser: Application;
  scopesOfRole: Scope;
  rolesOfApplication: Role;
  tenantById: Tenant;
  resourceById: Resource;
};
export type Relation = keyof Targets;
export type Related<R extends Relation> = { via: string | null; row: Targets[R] };
export type RelationKey = { relation: Relation; owner: string };

/** The FROM part of each relation, selecting (owner, via, target id, target row); the realm is $1. */
const branches: Record<Relation, (owners: string) => string> = {
  rolesOfUser: (owners) =>
    `l."userId", l."tenantId", t.id, to_jsonb(t) FROM "UserRole" l JOIN "Role" t ON t.id = l."roleId" WHERE l."userId" = ANY(${owners})`,
  tenantsOfUser: (owners) =>
    `l."userId", NULL, t.id, to_jsonb(t) FROM "UserTenant" l JOIN "Tenant" t ON t.id = l."tenantId" WHERE l."userId" = ANY(${owners})`,
  applicationsOfUser: (owners) =>
    `l."userId", NULL, t.id, to_jsonb(t) FROM "UserApplication" l JOIN "Application" t ON t.id = l."applicationId" WHERE l."userId" = ANY(${owners})`,
  scopesOfRole: (owners) =>
    `l."roleId", NULL, t.id, to_jsonb(t) FROM "RoleScope" l JOIN "Scope" t ON t.id = l."scopeId" WHERE l."roleId" = ANY(${owners})`,
  rolesOfApplication: (owners) =>
    `l."applicationId", NULL, t.id, to_jsonb(t) FROM "ApplicationRole" l JOIN "Role" t ON t.id = l."roleId" WHERE l."applicationId" = ANY(${owners})`,
  tenantById: (owners) => `t.id, NULL, t.id, to_jsonb(t) FROM "Tenant" t WHERE t.id = ANY(${owners})`,
  resourceById: (owners) => `t.id, NULL, t.id, to_jsonb(t) FROM "Resource" t WHERE t.id = ANY(${owners})`,
};

type RelatedRow = { relation: Relation; owner: string; via: string | null; id: string; row: Record<string, unknown> };

/**
 * The related rows of each key, in the keys' order. Every target table has a realmId, and rows
 * of another realm are left out, so a link across realms would read as no link.
 */
export async function readRelations(read: SqlReader, realmId: string, keys: readonly RelationKey[]): Promise<Array<Array<Related<Relation>>>> {
  const owners = new Map<Relation, Set<string>>();
  for (const { relation, owner } of keys) (owners.get(relation) ?? owners.set(relation, new Set()).get(relation)!).add(owner);
  const params: unknown[] = [realmId];
  const selects = [...owners].map(([relation, ids]) => {
    params.push([...ids]);
    return `SELECT '${relation}' AS relation, ${branches[relation](`$${params.length}`)} AND t."realmId" = $1`;
  });
  const sql = `SELECT relation, owner, via, id, row FROM (${selects.map((select) => `(${select})`).join(" UNION ALL ")})
    AS related (relation, owner, via, id, row) ORDER BY relation, owner, via NULLS FIRST, id`;
  const found = new Map<string, Array<Related<Relation>>>();
  for (const { relation, owner, via, row } of await read<RelatedRow>(sql, params)) {
    const key = keyOf({ relation, owner });
    (found.get(key) ?? found.set(key, []).get(key)!).push({ via, row: withDates(row) as Targets[Relation] });
  }
  return keys.map((key) => found.get(keyOf(key)) ?? []);
}

const keyOf = ({ relation, owner }: RelationKey) => `${relation}:${owner}`;

/** JSON carries `timestamp` columns as text (UTC, as stored); Prisma reads them as Dates. Every target has these two. */
function withDates(row: Record<string, unknown>): Record<string, unknown> {
  row.createdAt = new Date(`${row.createdAt}Z`);
  row.updatedAt = new Date(`${row.updatedAt}Z`);
  return row;
}
