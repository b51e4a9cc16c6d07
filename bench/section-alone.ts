/**
 * Runs one section of `npm run bench` by itself, for its figures without the rest: prints its
 * lines and its summary, and exits (a section may leave handles open, as the whole bench does).
 */
export function runSectionAlone(section: (log: (line: string) => void) => Promise<string>): void {
  section((line) => process.stdout.write(`${line}\n`)).then(
    (summary) => {
      process.stdout.write(`SUMMARY ${summary}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
