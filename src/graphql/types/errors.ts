// Expected failures as GraphQL types: mutations list the ones they can produce, and clients
// select them with fragments on the result union. Access failures stay top-level errors.
import { ConflictError, DomainError, NotFoundError, ValidationError } from "../../services/errors.js";
import { builder } from "../builder.js";

export const ErrorInterface = builder.interfaceRef<DomainError>("Error").implement({
  description: "An expected failure of a mutation, returned as data.",
  fields: (t) => ({
    message: t.exposeString("message"),
    code: t.exposeString("code", { description: "Stable machine-readable code" }),
  }),
});

builder.objectType(NotFoundError, {
  name: "NotFoundError",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({
    entity: t.exposeString("entity"),
    id: t.exposeString("id"),
  }),
});

builder.objectType(ConflictError, {
  name: "ConflictError",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: (t) => ({
    field: t.exposeString("field", { nullable: true, description: "The input field whose value collides" }),
  }),
});

builder.objectType(ValidationError, {
  name: "ValidationError",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({
    field: t.exposeString("field", { description: "Dotted path of the offending input field" }),
  }),
});

/** The error types most mutations can produce. */
export const writeErrors = [NotFoundError, ConflictError, ValidationError];
