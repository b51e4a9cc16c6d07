import { maxMessages, team } from '../src/spec';
import type { TeamSpec } from '../src/spec/team';

/** The benchmarks' team: two agents taking turns until `turns` replies follow the task. */
export function pingPongTeam(name: string, turns: number, baseUrl?: string): TeamSpec {
  return team(name)
    .roundRobin()
    .model({ model: 'scripted', ...(baseUrl ? { baseUrl } : {}) })
    .agent('ping', { description: 'Says ping.' })
    .agent('pong', { description: 'Says pong.' })
    .terminateWhen(maxMessages(turns + 1))
    .build();
}
