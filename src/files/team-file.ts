import { readFileSync } from 'node:fs';
import { SpecError } from '../spec/errors';
import { parseTeamText } from '../spec/parse';
import type { TeamSpec } from '../spec/team';

/** Reads and validates a team file (.yaml, .yml or .json); errors name the file as the user typed it. */
export function loadTeamFile(path: string): TeamSpec {
  const shown = path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (err as Error).message;
    throw new SpecError(shown, [{ path: '', message: `cannot read the team file: ${why}` }]);
  }
  return parseTeamText(text, shown);
}
