import { startTemporalCluster } from './temporal-cluster';

/**
 * `npm run cluster`: Temporal as it runs in production (PostgreSQL, four services as processes),
 * on this machine, until Ctrl-C. Point workers and front ends at it with TEMPORAL_ADDRESS.
 */
async function main(): Promise<void> {
  const cluster = await startTemporalCluster();
  console.log(`Temporal cluster ready at ${cluster.address} (namespace ${cluster.namespace})`);
  console.log(
    `  PostgreSQL ${cluster.postgres.url.replace(/durable_teams$/, '')} (databases temporal, temporal_visibility, durable_teams)`,
  );
  console.log(`  logs and config in ${cluster.dir}`);
  console.log(`  try: TEMPORAL_ADDRESS=${cluster.address} DURABLE_TEAMS_STORE=${cluster.postgres.url} npm run demo`);
  console.log(
    `  versioned workers: TEMPORAL_ADDRESS=${cluster.address} ./bin/durable-teams worker --deployment durable-teams --build-id <id>; then ./bin/durable-teams deploy status (docs/deploys.md)`,
  );
  const stop = () => {
    console.log('stopping the cluster');
    void cluster.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
