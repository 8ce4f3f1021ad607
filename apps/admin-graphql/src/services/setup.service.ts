import type { Db } from '@avtrz/db/client';
import { channels, notify } from '@avtrz/db/notify';
import { anyUserExists, insertUserWithPassword, lockAccountCreation } from '@avtrz/db/queries/accounts.queries';
import { insertMembership } from '@avtrz/db/queries/memberships.queries';
import { insertWorkspace } from '@avtrz/db/queries/workspaces.queries';
import type { AuthUserRow, WorkspaceRow } from '@avtrz/db/schema';
import { DomainError } from '@avtrz/shared/errors';
import { operatorTokenMatches } from '../auth/operator-token.ts';
import { checkPassword, normalizeEmail, personName } from './account-input.ts';
import { normalizeWorkspaceName } from './workspaces.service.ts';

/**
 * First run: while the installation has no account, whoever holds the operator token may create the
 * first person, an operator of the installation and owner of a new workspace. After that, never again.
 */

/** Open while no account exists; the admin server answers GET /setup only then. */
export async function isSetupOpen(db: Db): Promise<boolean> {
  return !(await anyUserExists(db));
}

/** Hashes a password the way the authentication library verifies it. */
export type PasswordHasher = (password: string) => Promise<string>;

export interface SetupInput {
  readonly operatorToken: string;
  readonly email: string;
  readonly password: string;
  readonly name?: string | null | undefined;
  readonly workspaceName: string;
}

export interface SetupResult {
  readonly user: AuthUserRow;
  readonly workspace: WorkspaceRow;
}

export async function createFirstAccount(
  db: Db,
  deps: { hashPassword: PasswordHasher; expectedOperatorToken: string | undefined },
  input: SetupInput,
  now: Date,
): Promise<SetupResult> {
  if (deps.expectedOperatorToken === undefined) throw new DomainError('operator_unavailable');
  // Compared in constant time; checked before anything else, so a wrong token learns nothing more.
  if (!operatorTokenMatches(input.operatorToken, deps.expectedOperatorToken)) {
    throw new DomainError('invalid_operator_token', 'This operator token is not right.');
  }
  if (!(await isSetupOpen(db))) throw new DomainError('setup_closed');
  const email = normalizeEmail(input.email);
  const password = checkPassword(input.password);
  const name = personName(input.name, email);
  const workspaceName = normalizeWorkspaceName(input.workspaceName, 'workspaceName');
  const passwordHash = await deps.hashPassword(password);
  return db.transaction().execute(async (trx) => {
    await lockAccountCreation(trx);
    // Checked again under the lock: two setups racing create one account, not two.
    if (await anyUserExists(trx)) throw new DomainError('setup_closed');
    const user = await insertUserWithPassword(trx, { email, name, isOperator: true, passwordHash, now });
    const workspace = await insertWorkspace(trx, { name: workspaceName });
    await insertMembership(trx, { workspaceId: workspace.id, userId: user.id, role: 'owner' });
    await notify(trx, channels.workspaces, workspace.id);
    return { user, workspace };
  });
}
