import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { APPLICATION_DECIDED, applicationDecidedSchema } from '../../../schemas/events/application-decided.schema.ts';
import { EVIDENCE_EVENT_SOURCE, EVIDENCE_VALIDATED_DETAIL_TYPE, evidenceValidatedDetailSchema } from '../../../schemas/events/evidence-validated.schema.ts';
import { SITE_ACTIVATED, siteActivatedSchema } from '../../../schemas/events/site-activated.schema.ts';

/**
 * Compatibility of the published domain events with their consumers. For
 * each event, version 1 is pinned by two stored files in
 * test/fixtures/events/: samples as a consumer receives them (the
 * EventBridge envelope with its detail), and the contract (the detail's JSON
 * Schema as published). A change to a schema in schemas/events/ that would
 * break a consumer fails here: a field removed, retyped, renamed or made
 * optional, an enum value added or removed, a field newly required. Adding an
 * optional field passes; anything else is a new version.
 */

type JsonSchema = { properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown };

const FIXTURES = new URL('../../fixtures/events/', import.meta.url);
const readJson = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as T;

/** The published JSON Schema of a detail; a `format` is the contract, not zod's regex for it. */
function contractOf(schema: z.ZodMiniType): JsonSchema {
  return JSON.parse(JSON.stringify(z.toJSONSchema(schema)), (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && 'format' in value && 'pattern' in value) {
      const { pattern: _pattern, ...rest } = value as Record<string, unknown>;
      return rest;
    }
    return value;
  }) as JsonSchema;
}

/** What a consumer of `published` would see broken by `current`, one line per break. */
function contractBreaks(published: JsonSchema, current: JsonSchema): string[] {
  const breaks: string[] = [];
  const { properties: was = {}, required: wasRequired = [], ...wasRest } = published;
  const { properties: now = {}, required: nowRequired = [], ...nowRest } = current;
  for (const [name, schema] of Object.entries(was)) {
    if (!(name in now)) breaks.push(`${name}: removed`);
    else if (JSON.stringify(now[name]) !== JSON.stringify(schema)) breaks.push(`${name}: changed from ${JSON.stringify(schema)} to ${JSON.stringify(now[name])}`);
  }
  for (const name of wasRequired) if (!nowRequired.includes(name)) breaks.push(`${name}: no longer required`);
  for (const name of nowRequired) if (!wasRequired.includes(name)) breaks.push(`${name}: newly required`);
  if (JSON.stringify(wasRest) !== JSON.stringify(nowRest)) breaks.push(`object: changed from ${JSON.stringify(wasRest)} to ${JSON.stringify(nowRest)}`);
  return breaks;
}

interface Envelope {
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: unknown;
}

const ACCREDITATION_ASL = readFileSync(new URL('../../../workflows/accreditation/accreditation.asl.json', import.meta.url), 'utf8');

const EVENTS = [
  { name: SITE_ACTIVATED, contract: 'site-activated.v1.contract.json', schema: siteActivatedSchema, source: 'exam-site.accreditation', samples: ['site-activated.v1.json'] },
  {
    name: APPLICATION_DECIDED,
    contract: 'application-decided.v1.contract.json',
    schema: applicationDecidedSchema,
    source: 'exam-site.accreditation',
    samples: ['application-decided.v1.json', 'application-decided.refused.v1.json'],
  },
  { name: EVIDENCE_VALIDATED_DETAIL_TYPE, contract: 'evidence-validated.v1.contract.json', schema: evidenceValidatedDetailSchema, source: EVIDENCE_EVENT_SOURCE, samples: ['evidence-validated.v1.json'] },
] as const;

describe('published domain events', () => {
  describe.each(EVENTS)('$name v1', (event) => {
    it.each(event.samples)('reads the stored sample %s with the current schema, under its source and detail-type', (file) => {
      const sample = readJson<Envelope>(file);
      expect(sample.source).toBe(event.source);
      expect(sample['detail-type']).toBe(event.name);
      expect(() => event.schema.parse(sample.detail)).not.toThrow();
    });

    it('keeps the published contract: no field removed, retyped or made optional, no enum value changed, none newly required', () => {
      expect(contractBreaks(readJson<JsonSchema>(event.contract), contractOf(event.schema))).toEqual([]);
    });
  });

  it('publishes the accreditation events from the workflow under the source and detail-type of the samples', () => {
    for (const name of [SITE_ACTIVATED, APPLICATION_DECIDED]) {
      expect(ACCREDITATION_ASL).toContain(`"Source": "exam-site.accreditation",\n            "DetailType": "${name}"`);
    }
  });

  describe('contractBreaks', () => {
    const published = contractOf(applicationDecidedSchema);

    it('passes a new optional field', () => {
      expect(contractBreaks(published, contractOf(z.extend(applicationDecidedSchema, { reviewRound: z.optional(z.number()) })))).toEqual([]);
    });

    it.each([
      ['a removed field', z.omit(applicationDecidedSchema, { article: true }), 'article: removed'],
      ['a field made optional', z.extend(applicationDecidedSchema, { article: z.optional(z.string()) }), 'article: no longer required'],
      ['a new enum value', z.extend(applicationDecidedSchema, { status: z.enum(['APPROVED', 'REJECTED', 'CLOSED', 'WITHDRAWN']) }), 'status: changed'],
      ['a retyped field', z.extend(applicationDecidedSchema, { decidedAt: z.number() }), 'decidedAt: changed'],
      ['a new required field', z.extend(applicationDecidedSchema, { reviewRound: z.number() }), 'reviewRound: newly required'],
    ])('reports %s', (_what, changed, expected) => {
      expect(contractBreaks(published, contractOf(changed)).join('\n')).toContain(expected);
    });
  });
});
