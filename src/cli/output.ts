import { jsonLogLine } from '../logging/json-logger';

/**
 * Where the CLI writes: results to stdout (human text, or JSON Lines with --json), progress and
 * errors to stderr, so `durable-teams status x --json | jq` sees only data. Colour only on a
 * terminal and never under NO_COLOR.
 */
export class Output {
  private readonly colour: boolean;
  /** Whether results go to a terminal, where text being written can be shown as it comes. */
  readonly terminal: boolean;

  constructor(
    readonly json: boolean,
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly err: NodeJS.WriteStream = process.stderr,
    /** Notes as JSON log lines, for a long-running process whose stderr a log collector reads. */
    readonly notesAsJson = false,
  ) {
    this.terminal = Boolean(out.isTTY);
    this.colour = !json && this.terminal && !process.env.NO_COLOR;
  }

  /** A result line for people (skipped under --json). */
  line(text = ''): void {
    if (!this.json) this.out.write(`${text}\n`);
  }

  /** Part of a line for people, as it comes (text being written); skipped under --json. */
  text(chunk: string): void {
    if (!this.json) this.out.write(chunk);
  }

  /** A result for programs: one JSON object a line (skipped without --json). */
  record(value: unknown): void {
    if (this.json) this.out.write(`${JSON.stringify(value)}\n`);
  }

  /** Progress and notes, always on stderr. */
  note(text: string): void {
    this.err.write(this.notesAsJson ? `${jsonLogLine('info', text)}\n` : `${text}\n`);
  }

  /** A structured log line on stderr: JSON with JSON logs, else the message and its fields as text. */
  log(message: string, fields: Record<string, unknown>): void {
    if (this.notesAsJson) this.err.write(`${jsonLogLine('info', message, fields)}\n`);
    else
      this.err.write(
        `${message} ${Object.entries(fields)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ')}\n`,
      );
  }

  bold = (text: string) => this.paint(text, 1);
  dim = (text: string) => this.paint(text, 2);
  green = (text: string) => this.paint(text, 32);
  red = (text: string) => this.paint(text, 31);
  yellow = (text: string) => this.paint(text, 33);
  cyan = (text: string) => this.paint(text, 36);

  private paint(text: string, code: number): string {
    return this.colour ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
}

/** A failure the CLI reports as one line and an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
