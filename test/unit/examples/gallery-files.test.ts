import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTeamFile } from '../../../src/files/team-file';
import type { TeamSpec } from '../../../src/spec/team';
import { loadScript } from '../../../src/testing/scripted-model';

const ROOT = join(__dirname, '..', '..', '..');
const EXAMPLES = join(ROOT, 'examples');
/** The gallery's folders: every folder of examples/ but the demo's and the shared code. */
const GALLERY = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !['teams', 'scripts', 'shared'].includes(e.name))
  .map((e) => e.name);

/** The model agents of a team, nested teams' included: each needs replies in the script. */
function modelAgents(team: TeamSpec): string[] {
  return team.agents.flatMap((agent) =>
    agent.kind === 'team' ? modelAgents(agent.team) : agent.kind === 'human' || agent.kind === 'a2a' ? [] : [agent.name],
  );
}

describe('the examples gallery', () => {
  it('has the folders the README lists, each with a README and a model script', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const folder of GALLERY) {
      expect(readme).toContain(`(examples/${folder}/)`);
      expect(existsSync(join(EXAMPLES, folder, 'README.md'))).toBe(true);
      expect(existsSync(join(EXAMPLES, folder, 'script.yaml'))).toBe(true);
    }
    expect(GALLERY.length).toBeGreaterThanOrEqual(7);
  });

  it.each(GALLERY)('examples/%s: its team files are valid and its script answers every model agent in them', (folder) => {
    const script = loadScript(join(EXAMPLES, folder, 'script.yaml'));
    const teamFiles = readdirSync(join(EXAMPLES, folder)).filter((f) => /\.ya?ml$/.test(f) && f !== 'script.yaml');
    for (const file of teamFiles) {
      for (const agent of modelAgents(loadTeamFile(join(EXAMPLES, folder, file)))) expect(Object.keys(script.agents)).toContain(agent);
    }
  });
});
