import { runRemoteMember } from '../../examples/remote-member/run';
import { exampleRunOptions } from './gallery-env';

describe('examples/remote-member', () => {
  it('calls the served fact desk over A2A as a tool mid-turn and as a member taking a turn', async () => {
    const { printed, ...options } = await exampleRunOptions();
    const { result } = await runRemoteMember({ ...options, port: 0 });

    expect(result.snapshot.stopReason).toMatch(/fact_desk/);
    const bySource = (source: string, kind: string) => result.messages.filter((m) => m.source === source && m.kind === kind);
    // The remote tool: the reporter's call, and the fact desk's answer as its result.
    expect(bySource('reporter', 'tool_call')[0]!.toolCalls!.map((c) => c.name)).toEqual(['check_facts']);
    expect(bySource('reporter', 'tool_result')[0]!.toolResults![0]!.content).toContain('CHECKED');
    expect(bySource('reporter', 'text')[0]!.content).toContain('our fact desk confirms');
    // The remote member: its own turn, answered by the fact desk's run.
    expect(bySource('fact_desk', 'text')[0]!.content).toContain('CHECKED');
    expect(printed()).toMatch(/fact-desk served over A2A at http:\/\/127\.0\.0\.1:\d+\/teams\/fact-desk\//);
  });
});
