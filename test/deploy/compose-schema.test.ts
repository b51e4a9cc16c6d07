import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';
import { interpolate, loadComposeFile, type ComposeProject } from './compose-file';

/**
 * docker-compose.yml against the Compose Specification's JSON Schema, the copy of the spec's
 * schema/compose-spec.json that the dclint package ships (we write no schema of our own).
 */
function composeSchemaValidator(): ValidateFunction {
  const file = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { $schema: string };
  // strictTypes off: the spec's schema uses union types, which Ajv only lints, never rejects.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  // The schema names draft-07 by its https address, which Ajv knows by the http one.
  ajv.addMetaSchema(draft07, schema.$schema);
  return ajv.compile(schema);
}

describe('docker-compose.yml and the Compose Specification', () => {
  const validate = composeSchemaValidator();

  it('is valid, with every setting at its default as with no .env', () => {
    const valid = validate(loadComposeFile());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is valid with settings from a .env, which Compose interpolates the same way', () => {
    const project = loadComposeFile({ A2A_PORT: '8443', TEMPORAL_VERSION: '1.29.2', A2A_PUBLIC_URL: 'https://teams.example.com' });
    expect(validate(project)).toBe(true);
    expect(project.services.temporal!.image).toBe('temporalio/auto-setup:1.29.2');
    expect(project.services['front-end']!.ports).toEqual(['8443:41241']);
  });

  it('the schema rejects what Compose would (so the checks above can fail)', () => {
    const broken = loadComposeFile() as ComposeProject;
    broken.services.worker = { ...broken.services.worker, depends_on: { temporal: { condition: 'service_up' } } };
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toContain('/services/worker/depends_on/temporal/condition');

    const misspelt = loadComposeFile() as ComposeProject;
    misspelt.services.postgresql = { ...misspelt.services.postgresql, healthcheck: { test: ['CMD', 'true'], intervall: '5s' } as never };
    expect(validate(misspelt)).toBe(false);
  });
});

describe('interpolation as Compose does it', () => {
  it('takes the value when set, the default when unset (and, with ":-", when empty), and $$ as $', () => {
    expect(interpolate('${A:-x}/${A-y}/$A/$$A', { A: 'v' })).toBe('v/v/v/$A');
    expect(interpolate('${A:-x}/${A-y}/[$A]', {})).toBe('x/y/[]');
    expect(interpolate('${A:-x}/${A-y}', { A: '' })).toBe('x/');
    expect(() => interpolate('${A:?set A}', {})).toThrow('A is required: set A');
    // A default may hold variables of its own, as Compose allows.
    expect(interpolate('${A:-x-${B:-y}-${C}}', { C: 'c' })).toBe('x-y-c');
    expect(interpolate('${A:-x-${B:-y}}', { A: 'a' })).toBe('a');
  });
});
