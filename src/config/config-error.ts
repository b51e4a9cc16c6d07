/**
 * Bad settings, each named with what is wrong with it (the CLI exits 2 on it). A module of its
 * own, with no imports, so that whatever checks a setting (the logger its format, say) can throw
 * it without loading the whole environment's schema and the parsers it calls.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `the configuration has ${problems.length} problems:\n  ${problems.join('\n  ')}`);
  }
}
