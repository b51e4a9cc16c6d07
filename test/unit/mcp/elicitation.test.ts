import { elicitationPrompt, readElicitationAnswer, type ElicitationForm } from '../../../src/mcp/elicitation';

const form: ElicitationForm = {
  message: 'Who is signing?',
  requestedSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Full name' },
      age: { type: 'integer', minimum: 18 },
      team: { type: 'string', enum: ['red', 'blue'] },
    },
    required: ['name'],
  },
};
const one = (field: object): ElicitationForm => ({
  message: 'One thing.',
  requestedSchema: { type: 'object', properties: { it: field as never } },
});

describe('a server question (elicitation/create) put to a person in text', () => {
  it('shows the message, each field with its type, purpose, choices and whether it is required, and how to answer', () => {
    expect(elicitationPrompt(form)).toBe(
      [
        'Who is signing?',
        '- name (required): string; Full name',
        '- age: integer',
        '- team: string; one of "red", "blue"',
        'Answer with a JSON object of these fields; "decline" to refuse, "cancel" to leave it unanswered.',
      ].join('\n'),
    );
    expect(elicitationPrompt(one({ type: 'boolean' }))).toContain('a JSON object of these fields, or its value alone;');
  });

  it('reads "decline" and "cancel" as those actions, and a JSON object that fits as the content', () => {
    expect(readElicitationAnswer(' Decline. ', form)).toEqual({ result: { action: 'decline' } });
    expect(readElicitationAnswer('cancel', form)).toEqual({ result: { action: 'cancel' } });
    expect(readElicitationAnswer('{"name":"Ada","age":36,"team":"red"}', form)).toEqual({
      result: { action: 'accept', content: { name: 'Ada', age: 36, team: 'red' } },
    });
  });

  it('says what does not fit, so the person can be asked again', () => {
    expect(readElicitationAnswer('{"age":36}', form)).toEqual({ error: expect.stringMatching(/does not fit the form: .*name/) });
    expect(readElicitationAnswer('{"name":"Ada","age":12}', form)).toEqual({ error: expect.stringMatching(/age.*>= 18/) });
    expect(readElicitationAnswer('{"name":"Ada","team":"green"}', form)).toEqual({ error: expect.stringMatching(/team.*allowed values/) });
    expect(readElicitationAnswer('{"name": Ada}', form)).toEqual({ error: expect.stringContaining('that answer is not JSON') });
    expect(readElicitationAnswer('Ada', form)).toEqual({ error: 'that answer is not a JSON object, and the form has 3 fields' });
  });

  it('takes plain text for a form of one field, as a number or a yes/no where the field wants one', () => {
    expect(readElicitationAnswer('Ada Lovelace', one({ type: 'string' }))).toEqual({
      result: { action: 'accept', content: { it: 'Ada Lovelace' } },
    });
    expect(readElicitationAnswer('42', one({ type: 'integer' }))).toEqual({ result: { action: 'accept', content: { it: 42 } } });
    expect(readElicitationAnswer('yes', one({ type: 'boolean' }))).toEqual({ result: { action: 'accept', content: { it: true } } });
    expect(readElicitationAnswer('N', one({ type: 'boolean' }))).toEqual({ result: { action: 'accept', content: { it: false } } });
    expect(readElicitationAnswer('lots', one({ type: 'number' }))).toEqual({ error: expect.stringContaining('does not fit the form') });
  });
});
