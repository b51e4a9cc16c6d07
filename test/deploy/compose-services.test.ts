import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadTeamFile } from '../../src/files/team-file';
import { ROOT } from '../helpers/teams';
import { parseCliArguments } from './cli-arguments';
import { COMPOSE_FILE, commandOf, loadComposeFile, type ComposeService } from './compose-file';

/**
 * What the schema cannot say about docker-compose.yml: that it matches the README, that our
 * services run real commands of our CLI, that they start in order of health, that the worker
 * scales and that every setting is documented and read by something.
 */

const project = loadComposeFile();
const services = project.services;
/** Services built from this repository: they run our CLI. */
const ours = Object.entries(services).filter(([, service]) => service.build !== undefined);

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const runItForReal = (() => {
  const start = readme.indexOf('\n## Run it for real\n');
  if (start < 0) throw new Error('README.md has no "## Run it for real" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
})();

const dependenciesOf = (service: ComposeService): Record<string, { condition: string }> =>
  Array.isArray(service.depends_on)
    ? Object.fromEntries(service.depends_on.map((name) => [name, { condition: 'service_started' }]))
    : (service.depends_on ?? {});

/** The value after `--flag` in an argument list. */
const flagValue = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('docker-compose.yml services', () => {
  it('are the ones the README lists in "Run it for real", by the same names', () => {
    const listed = [...runItForReal.matchAll(/^- `([a-z0-9._-]+)`/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(services).sort());
    // And what the README scales or reads logs of exists too.
    for (const [, name] of runItForReal.matchAll(/--scale ([a-z0-9._-]+)=|logs -f ([a-z0-9._-]+)/g))
      if (name) expect(Object.keys(services)).toContain(name);
  });

  it('run our CLI in our image: the worker and the front end, each a real command with real options', async () => {
    expect(ours.map(([name]) => name).sort()).toEqual(['codec-server', 'front-end', 'search-attributes', 'worker']);
    const worker = await parseCliArguments(commandOf(services.worker!));
    expect(worker).toMatchObject({ name: 'worker', options: { deployment: 'durable-teams' } });
    const frontEnd = await parseCliArguments(commandOf(services['front-end']!));
    expect(frontEnd).toMatchObject({
      name: 'serve',
      options: { host: '0.0.0.0', port: 41241, auth: 'bearer', publicUrl: 'http://localhost:41241' },
    });
    expect(await parseCliArguments(commandOf(services['search-attributes']!))).toMatchObject({ name: 'search-attributes' });
    const codec = await parseCliArguments(commandOf(services['codec-server']!));
    expect(codec).toMatchObject({ name: 'codec-server', options: { host: '0.0.0.0', port: 8888, corsOrigin: ['http://localhost:8080'] } });
    // Only on request: it decrypts for whoever reaches it.
    expect(services['codec-server']!.profiles).toEqual(['codec']);
    // The check itself refuses what the CLI would refuse.
    await expect(parseCliArguments(['serve', '--no-such-flag', 'team.yaml'])).rejects.toThrow(/unknown option '--no-such-flag'/);
    await expect(parseCliArguments(['serve', '--port', 'http', 'team.yaml'])).rejects.toThrow(/--port must be a port number/);
    await expect(parseCliArguments(['serve'])).rejects.toThrow(/missing required argument/);

    // The image's entrypoint is that CLI, so a service's command is what follows `durable-teams`.
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const entrypoint = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(dockerfile)![1]!) as string[];
    expect(entrypoint).toEqual(['node', '/app/bin/durable-teams']);
    expect(dockerfile).toMatch(/^COPY bin bin$/m);
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
  });

  it('start in order of health: postgresql, then temporal, then the rest, each waiting on a health check', () => {
    for (const name of ['postgresql', 'temporal', 'front-end']) expect(services[name]!.healthcheck?.test).toBeDefined();
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(dependenciesOf(service))) {
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: 'service_healthy' });
        expect(services[dependency]?.healthcheck).toBeDefined();
      }
    }
    expect(Object.keys(dependenciesOf(services.temporal!))).toEqual(['postgresql']);
    for (const name of ['temporal-ui', 'worker', 'front-end', 'codec-server', 'search-attributes'])
      expect(Object.keys(dependenciesOf(services[name]!))).toEqual(['temporal']);
    // Our processes use this file's Temporal unless .env says otherwise.
    for (const [, service] of ours) expect(service.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
  });

  it('keep conversations in the PostgreSQL of this file, in a database of their own that the postgresql service creates', () => {
    const url = 'postgres://temporal:temporal@postgresql:5432/durable_teams';
    for (const name of ['worker', 'front-end']) expect(services[name]!.environment).toMatchObject({ DURABLE_TEAMS_STORE: url });
    // The same account as Temporal's, whatever .env sets; and a store .env names wins.
    const custom = loadComposeFile({ POSTGRES_USER: 'pg', POSTGRES_PASSWORD: 'pw' }).services.worker!.environment;
    expect(custom).toMatchObject({ DURABLE_TEAMS_STORE: 'postgres://pg:pw@postgresql:5432/durable_teams' });
    const elsewhere = loadComposeFile({ DURABLE_TEAMS_STORE: 'postgres://db.internal/teams' }).services.worker!.environment;
    expect(elsewhere).toMatchObject({ DURABLE_TEAMS_STORE: 'postgres://db.internal/teams' });

    const init = (services.postgresql!.volumes as string[]).find((v) => v.split(':')[1] === '/docker-entrypoint-initdb.d');
    const folder = resolve(ROOT, init!.split(':')[0]!);
    const sql = readdirSync(folder)
      .map((file) => readFileSync(join(folder, file), 'utf8'))
      .join('\n');
    expect(sql).toContain("CREATE DATABASE durable_teams'");
  });

  it('the worker scales: no fixed container name and no host port', () => {
    expect(services.worker!.container_name).toBeUndefined();
    expect(services.worker!.ports).toBeUndefined();
    expect(runItForReal).toContain('--scale worker=3');
  });

  it('the front end listens where its port and its health check (GET /readyz) say, and serves team files that load', () => {
    const args = commandOf(services['front-end']!);
    const port = flagValue(args, '--port');
    expect(services['front-end']!.ports).toEqual([`41241:${port}`]);
    expect(JSON.stringify(services['front-end']!.healthcheck!.test)).toContain(`http://127.0.0.1:${port}/readyz`);

    const [mount] = (services['front-end']!.volumes as string[]).filter((v) => v.split(':')[1] === '/teams');
    const hostFolder = resolve(ROOT, mount!.split(':')[0]!);
    expect(statSync(hostFolder).isDirectory()).toBe(true);
    const teamFiles = args.filter((arg) => arg.startsWith('/teams/'));
    expect(teamFiles.length).toBeGreaterThan(0);
    for (const file of teamFiles) expect(loadTeamFile(join(hostFolder, file.slice('/teams/'.length))).name).toBeTruthy();
  });

  it('pull images pinned to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build !== undefined) continue;
      const tag = /:([^/:]+)$/.exec(service.image ?? '')?.[1];
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^\d+\.\d+(\.\d+)?([-.][a-z0-9.-]+)?$/) });
    }
  });

  it('read settings that .env.example lists, and .env.example lists none that nothing reads', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    // The last part lists settings that other pieces of the stack are adding (marked optional there).
    const [current] = example.split(/^# --- Optional, for the production pieces being added/m);
    const listed = new Set([...current!.matchAll(/^#?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
    const composeReads = new Set([...readFileSync(COMPOSE_FILE, 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!));
    for (const name of composeReads) expect({ name, listed: listed.has(name) }).toEqual({ name, listed: true });

    const sources = ['src', 'activities', 'workflows']
      .flatMap((folder) => sourceFiles(join(ROOT, folder)))
      .map((file) => readFileSync(file, 'utf8'));
    for (const name of listed) {
      const read = composeReads.has(name) || sources.some((text) => new RegExp(`\\b${name}\\b`).test(text));
      expect({ name, read }).toEqual({ name, read: true });
    }
  });
});

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
