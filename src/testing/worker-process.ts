import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../paths';

export interface WorkerProcessOptions {
  address: string;
  taskQueue: string;
  modelBaseUrl?: string;
  /** A module exporting `tools` (passed as --tools). */
  toolsModule?: string;
  env?: Record<string, string | undefined>;
  /** The worker's --log-level; default ERROR, so tests see only what matters. */
  logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** More `durable-teams worker` flags, such as --max-concurrent-activities. */
  args?: string[];
  /** The `durable-teams` command to run: another build's (deploy tests). Default: this package's. */
  cli?: string;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** What the worker wrote on stderr so far. */
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * A worker in a process of its own (`durable-teams worker`, from dist/), for tests that kill it
 * with SIGKILL as a crash would. Resolves once the worker says it is ready.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const cli = options.cli ?? join(packageRoot(), 'bin', 'durable-teams');
  const args = ['worker', '--address', options.address, '--task-queue', options.taskQueue, '--log-level', options.logLevel ?? 'ERROR'];
  if (options.modelBaseUrl) args.push('--model-base-url', options.modelBaseUrl);
  if (options.toolsModule) args.push('--tools', options.toolsModule);
  if (options.args) args.push(...options.args);
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker ready')) resolve();
    });
    void exited.then(() => reject(new Error(`the worker process exited before it was ready:\n${output}`)));
  });
  return {
    child,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
