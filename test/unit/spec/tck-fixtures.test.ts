import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTeamFile } from '../../../src/files/team-file';
import { isLlm } from '../../../src/spec/agent';
import { scriptSchema } from '../../../src/testing/scripted-model/script';
import { parseDataText } from '../../../src/spec/parse';

/** The TCK's fixture teams are only run by test/tck/run-tck.sh: they must at least load. */
const DIR = join(__dirname, '../../tck');

describe('TCK fixture teams', () => {
  it.each(readdirSync(DIR).filter((f) => f.endsWith('-team.yaml')))('%s is a valid team file', (file) => {
    expect(loadTeamFile(join(DIR, file)).name).toBe(file.replace(/-team\.yaml$/, ''));
  });

  it('gives the data team a reply its schema takes, and the file teams output.txt as text/plain', () => {
    const script = scriptSchema.parse(parseDataText(readFileSync(join(DIR, 'tck-script.yaml'), 'utf8'), 'tck-script.yaml'));
    const [reply] = (script.agents.extractor as { replies: { content: string }[] }).replies;
    expect(JSON.parse(reply!.content)).toEqual({ key: 'value', count: 42 });
    for (const name of ['tck-file', 'tck-file-url']) {
      const agent = loadTeamFile(join(DIR, `${name}-team.yaml`)).agents.find(isLlm)!;
      expect(agent.output).toMatchObject({ type: 'file', name: 'output.txt', mediaType: 'text/plain' });
    }
  });
});
