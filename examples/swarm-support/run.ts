import { join } from 'node:path';
import { loadTeamFile } from '../../src/files/team-file';
import { packageRoot } from '../../src/paths';
import { runAsCommand, startOfflineStack, type ExampleOptions } from '../shared/offline-stack';
import { runAndFollow } from '../shared/run-and-follow';
import { payments, tools } from './tools';

const folder = join(packageRoot(), 'examples/swarm-support');
const TASK = 'Hi, I was charged twice for order A-1001 (42.00). Could you refund one of the charges?';
/** What the customer says when billing hands back to them; the command line may say otherwise. */
const CUSTOMER_REPLY = 'No, that is all. Thank you!';

export async function runSwarmSupport(options: ExampleOptions & { customerReply?: string } = {}) {
  const stack = await startOfflineStack({ script: join(folder, 'script.yaml'), tools, ...options });
  try {
    const team = loadTeamFile(join(folder, 'team.yaml'));
    const { runId, result } = await runAndFollow(stack, team, TASK, (request) =>
      request.to === 'user' ? { action: 'input', text: options.customerReply ?? CUSTOMER_REPLY, by: 'customer' } : null,
    );
    const refunds = payments.refundsOf(runId);
    const requests = payments.requestsOf(runId);
    stack.out.note(
      `the payments provider got ${requests} refund request(s) and made ${refunds.length} refund(s): ${refunds.map((r) => `${r.refundId} ${r.orderId} ${r.amount}`).join(', ')}`,
    );
    return { runId, result, refunds, requests };
  } finally {
    await stack.stop();
  }
}

// npm run build && node dist/examples/swarm-support/run.js ["what the customer says at the end"]
if (require.main === module) runAsCommand(() => runSwarmSupport({ customerReply: process.argv[2] }));
