import { userInfo } from 'node:os';

/** Who is answering at this terminal, for the record (`--by` overrides it). */
export function currentUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined; // no user database entry (a bare container): the answer is just not signed
  }
}
