// Authorization lives in one place, the schema: every root field states its scope rule, and
// every object type owned by a realm checks that the object is of the caller's realm.
import { isObjectType, type GraphQLFieldMap } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../src/graphql/schema.js";

type PothosExtensions = { pothosOptions?: { authScopes?: unknown; skipTypeScopes?: boolean } };

function unguarded(fields: GraphQLFieldMap<unknown, unknown>): string[] {
  return Object.values(fields)
    .filter((field) => (field.extensions as PothosExtensions).pothosOptions?.authScopes === undefined)
    .map((field) => field.name);
}

/** Types that are not data of a realm: errors, payload wrappers, connections. */
const notRealmData = /(Error|Payload|Connection|Edge|PageInfo|Result)$|^(Query|Mutation)$/;

describe("the schema's authorization", () => {
  it("has a scope rule on every query field", () => {
    expect(unguarded(schema.getQueryType()!.getFields())).toEqual([]);
  });

  it("has a scope rule on every mutation", () => {
    expect(unguarded(schema.getMutationType()!.getFields())).toEqual([]);
  });

  it("checks the realm on every object type that holds realm data", () => {
    const unchecked = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith("__") && !notRealmData.test(type.name))
      .filter((type) => (type.extensions as PothosExtensions).pothosOptions?.authScopes === undefined)
      .map((type) => type.name);
    expect(unchecked).toEqual([]);
  });
});
