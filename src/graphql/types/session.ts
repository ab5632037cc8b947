// Sign-in sessions of users: `User.sessions` (newest first), "log out of all sessions" (seed 001)
// and revoking one session. Reading needs users:read, ending sessions users:write. Revoked
// sessions stay listed, with `revokedAt`, as the user's history.
import { activeSessionsWhere, isSessionActive, logoutUser, revokeUserSession } from "../../services/sessions.js";
import { actorOf, inCallersRealm } from "../actor.js";
import { builder } from "../builder.js";
import { limits } from "../input-limits.js";
import { checkPageSize, type PageSize } from "../list-arguments.js";
import { writeErrors } from "./errors.js";
import { User } from "./user.js";

export const Session = builder.prismaNode("Session", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (session, context) => session.realmId === context.principal?.realmId,
  select: { realmId: true },
  fields: (t) => ({
    user: t.relation("user"),
    application: t.relation("application", { nullable: true, description: "The application signed in to." }),
    ip: t.exposeString("ip", { nullable: true }),
    userAgent: t.exposeString("userAgent", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    lastUsedAt: t.expose("lastUsedAt", { type: "DateTime", description: "Last refresh of its tokens." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime" }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
    active: t.boolean({
      description: "Neither revoked nor expired.",
      select: { revokedAt: true, expiresAt: true },
      resolve: (session) => isSessionActive(session),
    }),
  }),
});

builder.prismaObjectField("User", "sessions", (t) =>
  t.relatedConnection("sessions", {
    cursor: "id",
    description: `The user's sessions, newest first; at most ${limits.listSize} per page.`,
    authScopes: { scope: "users:read" },
    totalCount: true,
    args: { active: t.arg.boolean({ description: "true: only active sessions; false: only revoked or expired ones." }) },
    // Planned into the user's query, so a refused page size refuses the user field. Pothos passes
    // the connection's own arguments too, though its type leaves them out.
    query: (args) => {
      checkPageSize(args as PageSize);
      return {
        where:
          args.active === true
            ? activeSessionsWhere()
            : args.active === false
              ? { OR: [{ revokedAt: { not: null } }, { expiresAt: { lte: new Date() } }] }
              : {},
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      };
    },
  }),
);

const LogoutUserInput = builder.inputType("LogoutUserInput", {
  fields: (t) => ({ userId: t.id({ required: true }) }),
});

const RevokeSessionInput = builder.inputType("RevokeSessionInput", {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const LogoutUserPayload = builder.simpleObject("LogoutUserPayload", {
  fields: (t) => ({
    user: t.field({ type: User }),
    revokedSessionIds: t.idList({ description: "The sessions this call ended; empty when none was active." }),
  }),
});

const SessionPayload = builder.simpleObject("SessionPayload", {
  fields: (t) => ({ session: t.field({ type: Session }) }),
});

builder.mutationFields((t) => ({
  logoutUser: t.field({
    type: LogoutUserPayload,
    description: "Logs the user out of all sessions: revokes every active session and deletes all its refresh tokens.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: LogoutUserInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const result = await logoutUser(context.prisma, actorOf(context), { userId: String(input.userId) });
      // This process stops honouring their access tokens now, the others within the recheck bound.
      for (const id of result.revokedSessionIds) context.auth.sessions.forget(id);
      return result;
    },
  }),
  revokeSession: t.field({
    type: SessionPayload,
    description: "Ends one session and deletes its refresh tokens; a session already ended is left as it was.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: RevokeSessionInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const { session } = await revokeUserSession(context.prisma, actorOf(context), { sessionId: String(input.id) });
      context.auth.sessions.forget(session.id);
      return { session };
    },
  }),
}));
