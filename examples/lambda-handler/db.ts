/**
 * A stand-in for the function's database client (pg, mysql2...), so the example shows how a handler
 * rides out a password rotated under it. `connect` answers like a real database: it refuses a wrong
 * password with an `AuthenticationError` (pg's code 28P01). Tests rotate the password with
 * `database.rotate`, as Secrets Manager's rotation does to the real one.
 */

/** What a real driver throws for a refused login (pg: `err.code === '28P01'`). */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  readonly code = '28P01';
}

/** An open session; a real one would run queries. */
export interface Session {
  host: string;
}

/** The database itself: the password it accepts (any, until a test rotates it), and its logins. */
export const database = {
  password: undefined as string | undefined,
  logins: 0,
  /** Sets the password the database accepts, as a rotation does. */
  rotate(password: string): void {
    this.password = password;
  },
};

/** Logs in with the config's credentials. */
export async function connect(db: { readonly host: string; readonly password: string }): Promise<Session> {
  database.logins++;
  if (database.password !== undefined && db.password !== database.password) {
    throw new AuthenticationError('password authentication failed');
  }
  return { host: db.host };
}
