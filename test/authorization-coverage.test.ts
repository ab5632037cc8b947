// Authorization lives in one place, the schema: every root field states its scope rule, and
// every object type owned by a realm checks that the object is of the caller's realm.
import { getNamedType, isLeafType, isObjectType, type GraphQLFieldMap, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { readScopes } from "../src/graphql/read-scopes.js";
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

  it("names a read scope for every object type that holds data of its own, and only for types of the schema", () => {
    const objectTypes = Object.values(schema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith("__"));
    // Payloads and connections wrap the data of a mutation or query (which their field guards); a
    // type holding only links (TenantRole) shows the linked types' data, under their scopes.
    const holdsData = (type: GraphQLObjectType) =>
      !/(Error|Payload|Connection|Edge|PageInfo|Result)$|^(Query|Mutation)$/.test(type.name) &&
      Object.values(type.getFields()).some((field) => field.name !== "id" && isLeafType(getNamedType(field.type)));
    expect(objectTypes.filter(holdsData).map((type) => type.name).filter((name) => readScopes[name] === undefined)).toEqual([]);
    expect(Object.keys(readScopes).filter((name) => !objectTypes.some((type) => type.name === name))).toEqual([]);
  });
});
