// Expected failures of domain operations. Transports turn them into their own shapes: typed
// GraphQL results, REST profile bodies. Anything else is a bug and answers 500.
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class NotFoundError extends DomainError {
  override name = "NotFoundError";
  readonly code = "not_found";
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} was not found`);
  }
}

export class ConflictError extends DomainError {
  override name = "ConflictError";
  readonly code = "conflict";
  constructor(
    message: string,
    /** The input field whose value collides, such as `email`. */
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

export class ValidationError extends DomainError {
  override name = "ValidationError";
  readonly code = "validation_failed";
  constructor(
    /** The offending input field as a dotted path, such as `input.name`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The caller may not do this to that principal: it would hand out, or act on a holder of,
 * management scopes its own credential does not carry. An access failure, not a business result:
 * GraphQL answers it as a top-level `insufficient_scope` error, REST profiles with 403.
 */
export class ForbiddenError extends DomainError {
  override name = "ForbiddenError";
  readonly code = "insufficient_scope";
  constructor(
    message: string,
    /** The scopes the caller would need in addition to its own (empty when none would do). */
    readonly missingScopes: string[] = [],
  ) {
    super(message);
  }
}
