import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadTeamFile } from '../../../src/files/team-file';
import { loadScript } from '../../../src/testing/scripted-model';

const ROOT = join(__dirname, '..', '..', '..', 'examples');
const filesIn = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => /\.(ya?ml|json)$/.test(f));

describe('the examples the README and the demo use', () => {
  it.each(filesIn('teams'))('examples/teams/%s is a valid team', (file) => {
    const team = loadTeamFile(join(ROOT, 'teams', file));
    expect(team.agents.length).toBeGreaterThan(0);
  });

  it.each(filesIn('scripts'))('examples/scripts/%s is a valid model script', (file) => {
    expect(Object.keys(loadScript(join(ROOT, 'scripts', file)).agents).length).toBeGreaterThan(0);
  });

  it('the review script answers every agent of both review teams', () => {
    const script = loadScript(join(ROOT, 'scripts', 'review.yaml'));
    for (const team of ['review.yaml', 'review-approval.yaml']) {
      for (const agent of loadTeamFile(join(ROOT, 'teams', team)).agents) expect(Object.keys(script.agents)).toContain(agent.name);
    }
  });
});
