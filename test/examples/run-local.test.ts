import { join } from 'node:path';
import { runExperiment } from '../../examples/run-local/experiment';
import { loadScript, startScriptedModelServer } from '../../src/testing/scripted-model';
import { ROOT } from '../helpers/teams';

describe('examples/run-local', () => {
  it('runs both variants of the experiment in process, the tool included, with no Temporal at all', async () => {
    const model = await startScriptedModelServer({ script: loadScript(join(ROOT, 'examples/run-local/script.yaml')) });
    try {
      const lines: string[] = [];
      const results = await runExperiment(model.baseUrl, (line) => lines.push(line));
      const expected = [
        'user: A headline for: our team runs now survive worker crashes.',
        'headline_writer: Team runs that survive crashes (5 words)',
        'judge: Clear and short. VERDICT: keep',
      ];
      expect(results).toEqual({ short: expected, playful: expected });
      expect(lines).toContain('--- short: completed ("VERDICT" mentioned by judge)');
      // The tool ran in this process: the writer's second model call saw its result.
      const toolResults = model.requests.flatMap((r) =>
        (r.messages as { role: string; content: string }[]).filter((m) => m.role === 'tool'),
      );
      const afterTool = toolResults.find((m) => m.content.includes('"words":5'));
      expect(afterTool).toBeDefined();
    } finally {
      await model.close();
    }
  });
});
