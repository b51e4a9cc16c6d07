import { randomBytes } from 'node:crypto';

/** A fresh run id: the team's name and 12 random hex digits, readable in lists and logs. */
export function newRunId(teamName: string): string {
  return `${teamName}-${randomBytes(6).toString('hex')}`;
}
