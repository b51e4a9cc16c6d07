/** How long ago, in the largest unit that fits: "12 s", "5 min", "3 h", "2 d". */
export function age(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** Time left until a deadline, as "1 h 02 min 05 s", or "passed". */
export function remaining(deadline: number, now = Date.now()): string {
  const left = Math.round((deadline - now) / 1000);
  if (left <= 0) return 'passed';
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h} h ${pad(m)} min ${pad(s)} s` : m ? `${m} min ${pad(s)} s` : `${s} s`;
}

export const STATUS_LABEL: Record<string, string> = {
  submitted: 'submitted',
  working: 'working',
  'input-required': 'waiting on a person',
  'auth-required': 'waiting for credentials',
  completed: 'completed',
  failed: 'failed',
  canceled: 'canceled',
  rejected: 'rejected',
};
