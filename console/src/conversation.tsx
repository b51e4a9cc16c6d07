import type { ChatMessage, ServedTeam } from './wire';

/** One recorded message: who spoke (marked when a remote agent, a nested team or a person), and what. */
export function Message({ message, team }: { message: ChatMessage; team: ServedTeam | undefined }) {
  const kind = team?.agents.find((a) => a.name === message.source)?.kind;
  const mark = kind === 'a2a' ? 'remote agent' : kind === 'team' ? 'nested team' : kind === 'human' ? 'person' : null;
  return (
    <li class={`message kind-${message.kind}`} data-index={message.index}>
      <p class="speaker">
        <strong>{message.source}</strong>
        {mark ? <span class="tag">{mark}</span> : null}
        <span class="meta">{message.turn !== null ? `turn ${message.turn + 1}` : message.index === 0 ? 'task' : 'from a person'}</span>
        {message.usage ? (
          <span class="meta">
            {message.usage.promptTokens} + {message.usage.completionTokens} tokens
          </span>
        ) : null}
      </p>
      {message.content ? <p class="content">{message.content}</p> : null}
      {message.toolCalls?.map((call) => (
        <p class="tool" key={call.id}>
          calls <code>{call.name}</code> with <code>{call.arguments}</code>
        </p>
      ))}
      {message.toolResults?.map((result) => (
        <p class={result.isError ? 'tool error' : 'tool'} key={result.callId}>
          <code>{result.name}</code> {result.isError ? 'failed' : 'gave'}: <code>{result.content}</code>
        </p>
      ))}
      {message.handoff ? <p class="meta">hands over to {message.handoff.target}</p> : null}
    </li>
  );
}

/** A reply being written (the live preview): replaced by the recorded message when it comes. */
export function Draft({ agent, turn, text }: { agent: string; turn: number; text: string }) {
  return (
    <li class="message draft" aria-busy="true">
      <p class="speaker">
        <strong>{agent}</strong>
        <span class="meta">turn {turn + 1}, writing…</span>
      </p>
      <p class="content">{text}</p>
    </li>
  );
}
