import { join } from 'node:path';
import { loadTeamFile } from '../../src/files/team-file';
import { finalAnswer, runAndFollow } from '../../examples/shared/run-and-follow';
import { ROOT } from '../helpers/teams';
import { exampleStack } from './gallery-env';

const folder = join(ROOT, 'examples/mcp-archivist');

// `durable-teams demo --team team.yaml --script script.yaml` does exactly this, on a server of its own.
describe('examples/mcp-archivist', () => {
  it('lists and reads the notes through the filesystem MCP server, then answers from them', async () => {
    const stack = await exampleStack({ script: join(folder, 'script.yaml') });
    try {
      const { result } = await runAndFollow(stack, loadTeamFile(join(folder, 'team.yaml')), 'Why did the release move?');
      expect(result.snapshot.status).toBe('completed');
      const results = result.messages.filter((m) => m.kind === 'tool_result').flatMap((m) => m.toolResults ?? []);
      expect(results.map((r) => [r.name, r.isError])).toEqual([
        ['notes_list_directory', false],
        ['notes_read_text_file', false],
        ['notes_read_text_file', false],
      ]);
      expect(results[0]!.content).toContain('2026-12-03-retro.md');
      expect(results[1]!.content).toContain('The release moved to Thursday');
      expect(finalAnswer(result)).toContain('Thursday');
    } finally {
      await stack.stop();
    }
  });
});
