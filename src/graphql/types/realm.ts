import { builder } from "../builder.js";

export const Realm = builder.prismaNode("Realm", {
  id: { field: "id" },
  // A realm is visible to its own principals and to principals of the admin realm.
  authScopes: (realm, context) => realm.id === context.principal?.realmId || { adminRealm: true },
  fields: (t) => ({
    name: t.exposeString("name"),
    displayName: t.exposeString("displayName", { nullable: true }),
    isAdmin: t.exposeBoolean("isAdmin"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.queryField("realm", (t) =>
  t.prismaField({
    type: "Realm",
    description: "The realm of the calling principal.",
    authScopes: { authenticated: true },
    resolve: (query, _root, _args, context) =>
      context.prisma.realm.findUniqueOrThrow({ ...query, where: { id: context.principal!.realmId } }),
  }),
);
