import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const root = join(__dirname, '..', '..', '..');
const projectConfig = require(join(root, 'eslint.config.js')) as Linter.Config[];

/**
 * The floors of eslint.config.js, proved on code that breaks them: lint would pass a rule that
 * matched nothing. Linted as text at a path in each room, without type information (the files do
 * not exist, so the project service cannot type them; the floors need no types).
 */
async function complaintsAbout(path: string, code: string): Promise<string[]> {
  // The config is handed over as loaded: ESLint would import() the file, which Jest's VM refuses.
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [...projectConfig, tseslint.configs.disableTypeChecked],
  });
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('the floors: code takes values only from its own floor and below', () => {
  it('refuses a value from a room above', async () => {
    const complaints = await complaintsAbout(
      'src/store/probe.ts',
      "import { startA2AServer } from '../server/server';\nexport const s = startA2AServer;\n",
    );
    expect(complaints).toEqual([expect.stringContaining('src/server is on a floor above src/store')]);
  });

  it('lets types cross, and values come from below', async () => {
    const code =
      "import type { TeamClient } from '../client/team-client';\nimport { quoted } from '../core/display-text';\nexport const q: [typeof quoted, TeamClient?] = [quoted];\n";
    expect(await complaintsAbout('src/store/probe.ts', code)).toEqual([]);
  });

  it("keeps Zod out of core: spec's types and spec/plain's functions only", async () => {
    const code =
      "import { isLlm } from '../spec/agent';\nimport { isHuman } from '../spec/plain/agent-kinds';\nimport type { TeamSpec } from '../spec/team';\nexport const k: unknown[] = [isLlm, isHuman, {} as TeamSpec];\n";
    const complaints = await complaintsAbout('src/core/probe.ts', code);
    expect(complaints).toEqual([
      expect.stringContaining('src/spec is on a floor above src/core'),
      expect.stringContaining("spec's modules load Zod"),
    ]);
  });

  it('keeps workflow code to core, spec/plain and visibility', async () => {
    const code =
      "import { ModelCallError } from '../src/model/errors';\nimport { spendOf } from '../src/core/budget';\nexport const w: unknown[] = [ModelCallError, spendOf];\n";
    expect(await complaintsAbout('workflows/probe.ts', code)).toEqual([expect.stringContaining('workflow code is replayed')]);
  });

  it('keeps the front end in order: the A2A handling below the console, the console below the server', async () => {
    expect(
      await complaintsAbout(
        'src/a2a/probe.ts',
        "import { consoleRoutes } from '../console-api/routes';\nexport const c = consoleRoutes;\n",
      ),
    ).toEqual([expect.stringContaining('src/console-api is on a floor above src/a2a')]);
    expect(
      await complaintsAbout(
        'src/console-api/probe.ts',
        "import { callerForRequest } from '../access/caller';\nexport const c = callerForRequest;\n",
      ),
    ).toEqual([]);
  });
});
