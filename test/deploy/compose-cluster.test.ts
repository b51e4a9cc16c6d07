import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli/main';
import { CLUSTER_DEFAULTS } from '../../src/testing/temporal-cluster';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../src/temporal/dev-server';
import { ROOT } from '../helpers/teams';
import { loadComposeFile } from './compose-file';

/**
 * The compose file's Temporal and the one `npm run cluster` runs as processes (where the cluster
 * tests run) are meant to behave alike: same server version, shards, retention and dynamic config.
 */
describe('docker-compose.yml and the cluster of processes share their Temporal settings', () => {
  const temporal = loadComposeFile().services.temporal!;
  const environment = temporal.environment as Record<string, string | number>;

  it('the same server version', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'temporal-server.sh'), 'utf8');
    const version = /VERSION="\$\{TEMPORAL_SERVER_VERSION:-([\d.]+)\}"/.exec(script)?.[1];
    expect(version).toBeDefined();
    expect(temporal.image).toBe(`temporalio/auto-setup:${version}`);
  });

  it('the same history shards and retention', () => {
    expect(Number(environment.NUM_HISTORY_SHARDS)).toBe(CLUSTER_DEFAULTS.historyShards);
    expect(environment.DEFAULT_NAMESPACE_RETENTION).toBe(CLUSTER_DEFAULTS.retention);
  });

  it('the same dynamic config file, mounted where DYNAMIC_CONFIG_FILE_PATH points', () => {
    const mounts = (temporal.volumes as string[]).map((volume) => volume.split(':'));
    const path = `/etc/temporal/${environment.DYNAMIC_CONFIG_FILE_PATH}`;
    const mount = mounts.find(([, target]) => target === path);
    expect(mount?.[0]).toBe('./deploy/temporal/dynamicconfig.yaml');
    const file = join(ROOT, 'deploy', 'temporal', 'dynamicconfig.yaml');
    expect(existsSync(file)).toBe(true);
    // Temporal's dynamic config format: each key a list of { value } entries.
    const config = parse(readFileSync(file, 'utf8')) as Record<string, { value: unknown }[]>;
    expect(config['system.enableActivityEagerExecution']).toEqual([{ value: true }]);
    // Listings are visibility calls, which the default of 10 a second per namespace would throttle.
    expect(config['frontend.namespaceRPS.visibility']).toEqual([{ value: DEV_SERVER_DYNAMIC_CONFIG['frontend.namespaceRPS.visibility'] }]);
  });

  it('registers the run search attributes once the server is up, through the same CLI command as any cluster needs', () => {
    const services = loadComposeFile().services;
    const setup = services['search-attributes']!;
    expect(setup.command).toEqual(['search-attributes']);
    expect(setup.restart).toBe('no');
    expect(setup.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
    // The command exists, under that name.
    expect(buildProgram().commands.map((c) => c.name())).toContain('search-attributes');
  });
});
