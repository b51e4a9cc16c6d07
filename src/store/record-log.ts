import type { StoredRecord } from './backend';

/**
 * The text of a run's append-only record log. One entry a line: `index length base64`, where
 * `length` is the byte count of the record. A process that dies mid-append leaves a torn last line;
 * its base64 is then too short for its length (or its fields are missing), so it is skipped.
 * Every append starts with a newline, so that a torn line never runs into the next entry.
 * A later entry for an index replaces an earlier one.
 */
export function recordLogAppend(records: StoredRecord[]): string {
  let text = '\n';
  for (const record of records) {
    if (!Number.isSafeInteger(record.index) || record.index < 0)
      throw new RangeError(`a record index must be a whole number, 0 or more, not ${record.index}`);
    text += `${record.index} ${record.data.byteLength} ${Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength).toString('base64')}\n`;
  }
  return text;
}

const ENTRY = /^(\d+) (\d+) ([A-Za-z0-9+/]*={0,2})$/;

/** The records with `from <= index < to`, by index; only those in range are decoded. */
export function readRecordLog(text: string, from: number, to: number): StoredRecord[] {
  const latest = new Map<number, string>();
  for (const line of text.split('\n')) {
    const entry = ENTRY.exec(line);
    if (!entry) continue;
    const index = Number(entry[1]);
    const base64 = entry[3]!;
    if (base64.length !== 4 * Math.ceil(Number(entry[2]) / 3)) continue; // torn
    if (index >= from && index < to) latest.set(index, base64);
  }
  return [...latest].sort(([a], [b]) => a - b).map(([index, base64]) => ({ index, data: new Uint8Array(Buffer.from(base64, 'base64')) }));
}

/**
 * The lines of a list log (a run's body keys): each `length value`, torn lines skipped as above.
 */
export function listLogAppend(values: string[]): string {
  return `\n${values.map((value) => `${value.length} ${value}\n`).join('')}`;
}

export function readListLog(text: string): string[] {
  const values: string[] = [];
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 1) continue;
    const value = line.slice(space + 1);
    if (String(value.length) === line.slice(0, space)) values.push(value);
  }
  return values;
}
