-- Failed passkey assertions get an outcome of their own in the login history (they were
-- recorded as wrong_password). They still count towards the sign-in lockout.
ALTER TYPE "LoginOutcome" ADD VALUE 'invalid_passkey';
