import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScript, parseScript, ScriptError, startScriptedModelServer } from '../../src/testing/scripted-model';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scripted-model-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The ScriptError that loading `path` throws. */
function loadError(path: string): ScriptError {
  try {
    loadScript(path);
  } catch (err) {
    if (err instanceof ScriptError) return err;
    throw err;
  }
  throw new Error(`expected ${path} to be refused`);
}

describe('loadScript', () => {
  it('loads YAML with shorthands expanded and defaults filled in', () => {
    const path = write(
      'team.yaml',
      `
agents:
  researcher:
    replies:
      - "Facts: otters hold hands."
      - { content: "More facts", usage: { promptTokens: 10, completionTokens: 5 } }
      - { toolCalls: [ { name: get_weather, arguments: { city: Paris } } ] }
    latencyMs: { min: 5, max: 20 }
  writer: [ "Draft 1", "Draft 2" ]
selector: [ writer, [ nobody, reviewer ] ]
failures:
  - { status: 503, agent: writer, firstCalls: 2 }
  - { dropConnection: true, agent: writer, firstCalls: 1 }
`,
    );
    const script = loadScript(path);
    expect(script.latencyMs).toBe(0);
    expect(script.onExhausted).toBe('cycle');
    expect(script.agents.writer).toEqual({ replies: [{ content: 'Draft 1' }, { content: 'Draft 2' }] });
    expect(script.agents.researcher!.latencyMs).toEqual({ min: 5, max: 20 });
    expect(script.agents.researcher!.replies[2]).toStrictEqual({
      content: null,
      toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
    });
    expect(script.selector).toEqual(['writer', ['nobody', 'reviewer']]);
    expect(script.failures).toHaveLength(2);
  });

  it('loads JSON', () => {
    const path = write('team.json', JSON.stringify({ onExhausted: 'error', default: ['Hi'] }));
    expect(loadScript(path).default).toEqual({ replies: [{ content: 'Hi' }] });
  });

  it.each([
    [
      'a reply that is neither a string nor an object',
      'agents:\n  writer:\n    replies: [ "a", "b", 5 ]\n',
      'agents.writer.replies[2]: expected a string or {content} object',
    ],
    [
      'a reply with content of the wrong type',
      'agents:\n  writer: [ "a", { content: 5 } ]\n',
      'agents.writer[1].content: expected string, received number',
    ],
    ['a misspelt field', 'agents:\n  writer: [ { contnet: "a" } ]\n', 'agents.writer[0].contnet: unknown field'],
    ['an empty reply object', 'agents:\n  writer: [ {} ]\n', 'agents.writer[0]: a reply needs content or toolCalls'],
    [
      'a tool call without a name',
      'agents:\n  writer: [ { toolCalls: [ { arguments: {} } ] } ]\n',
      'agents.writer[0].toolCalls[0].name: missing (expected string)',
    ],
    ['an empty file', '', '(root): expected a script'],
    ['an agent with no replies', 'agents:\n  writer: []\n', 'agents.writer: add at least one reply'],
    ['an unknown onExhausted', 'onExhausted: loop\n', 'onExhausted: expected cycle, repeat-last or error'],
    ['a bad latency', 'latencyMs: { min: 20, max: 5 }\n', 'latencyMs: min must not be greater than max'],
    [
      'a failure rule with status and dropConnection',
      'failures:\n  - { status: 503, dropConnection: true }\n',
      'failures[0]: give one of status (an HTTP error), dropConnection: true or cutStreamAfter',
    ],
    [
      'a failure rule with status and cutStreamAfter',
      'failures:\n  - { status: 503, cutStreamAfter: 2 }\n',
      'failures[0]: give one of status (an HTTP error), dropConnection: true or cutStreamAfter',
    ],
    ['a negative token delay', 'tokenDelayMs: -1\n', 'tokenDelayMs: Too small'],
    [
      'a failure rule with firstCalls and everyNth',
      'failures:\n  - { status: 503, firstCalls: 1, everyNth: 2 }\n',
      'failures[0]: give firstCalls or everyNth, not both',
    ],
    ['a bad selector entry', 'selector: [ writer, 3 ]\n', 'selector[1]: expected an agent name or a list of names'],
    [
      'an agent named selector beside a selector list',
      'selector: [ a ]\nagents:\n  selector: [ x ]\n',
      'agents.selector: the name "selector" is taken',
    ],
  ])('names the file and the field for %s', (_what, yaml, expected) => {
    const path = write('bad.yaml', yaml);
    const err = loadError(path);
    expect(err.message).toContain(`${path}: ${expected}`);
    expect(err.problems.length).toBeGreaterThan(0);
  });

  it('refuses unreadable files, bad syntax and unknown extensions, naming the file', () => {
    expect(loadError(join(dir, 'missing.yaml')).message).toMatch(/missing\.yaml: cannot read the script/);
    expect(loadError(write('broken.yaml', 'agents: [ unclosed\n')).message).toMatch(/broken\.yaml: not valid YAML/);
    expect(loadError(write('broken.json', '{ "agents": ')).message).toMatch(/broken\.json: not valid JSON/);
    expect(loadError(write('script.txt', 'agents: {}')).message).toMatch(/script\.txt: unknown script file type ".txt"/);
  });
});

describe('inline scripts', () => {
  it('are validated by parseScript and by the server, named "inline script"', async () => {
    expect(() => parseScript({ agents: { writer: 'Draft' } }, 'my test')).toThrow(
      'my test: agents.writer: expected a list of replies or {replies, latencyMs, tokenDelayMs}',
    );
    await expect(startScriptedModelServer({ script: { failures: [{ agent: 'x' }] } })).rejects.toThrow(
      /^inline script: failures\[0\]: give one of status/,
    );
  });
});
