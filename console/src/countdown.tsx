import { useEffect, useState } from 'preact/hooks';
import { remaining } from './format';

/** The time left to answer, ticking each second; what happens at the deadline is the run's own rule. */
export function Countdown({ deadline }: { deadline: number | null }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (deadline === null) return <span>no deadline</span>;
  return (
    <span>
      <time dateTime={new Date(deadline).toISOString()}>{remaining(deadline, now)}</time>
      {deadline > now ? ' left' : ''}
    </span>
  );
}
