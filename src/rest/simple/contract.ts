// The contract of each route (seed 004): query string and bodies as zod schemas. Unknown
// parameters and fields are refused, so a typo never passes silently. The OpenAPI document
// (./openapi.ts) describes the same fields.
import { z } from "zod";
import { profileStatuses } from "./user-shape.js";

/** Seed 004: `limit` at most 100 (also the largest page GraphQL serves). */
export const maxLimit = 100;
export const defaultLimit = 20;
/** Deeper pages than this are refused rather than scanned. */
export const maxPage = 100_000;

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be a whole number between ${min} and ${max}`)
    .describe(name);

const status = z.enum(profileStatuses);
const roleName = z.string().min(1).max(200);
const settings = z.record(z.string(), z.unknown());
const name = z.string().min(1).max(200);

export const listUsersQuery = z.strictObject({
  page: wholeNumber("page", 1, maxPage).default(1),
  limit: wholeNumber("limit", 1, maxLimit).default(defaultLimit),
  status: status.optional(),
  role: roleName.optional(),
});

export const createUserBody = z.strictObject({
  email: z.string().min(1).max(254),
  name: name.optional(),
  /** A role name; null or absent: no role. */
  role: roleName.nullable().optional(),
  /** Absent: the user has no password yet (signs in once one is set). */
  password: z.string().min(1).max(1024).optional(),
  settings: settings.optional(),
});

/** PUT changes the fields given and keeps the others; null clears name, role or settings. */
export const updateUserBody = z
  .strictObject({
    name: name.nullable().optional(),
    role: roleName.nullable().optional(),
    status: status.optional(),
    settings: settings.nullable().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "The body must set at least one of name, role, status, settings",
  });

export type CreateUserBody = z.infer<typeof createUserBody>;
export type UpdateUserBody = z.infer<typeof updateUserBody>;
