import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { siteRevokedSchema } from '../../../schemas/events/site-revoked.schema.ts';

/**
 * Compatibility of the published event `SiteRevoked` v1 with its consumers
 * (the platforms behind the API destination): the stored sample is what a
 * v1 consumer was built against. Removing or renaming a field, tightening a
 * type or adding a required field fails here: that is a new `version`.
 */
const sample = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/events/site-revoked.v1.json'), 'utf8')) as Record<string, unknown>;
const V1_REQUIRED = ['version', 'eventId', 'siteId', 'certificateNumber', 'institutionId', 'provinceCode', 'cityCode', 'revocationId', 'cause', 'article', 'revokedAt', 'sessionsCancelled'];

describe('schemas/events/site-revoked', () => {
  it('still accepts the stored v1 sample', () => {
    expect(siteRevokedSchema.safeParse(sample).success).toBe(true);
  });

  it('requires exactly the v1 fields (a new required field breaks producers and consumers alike)', () => {
    const json = z.toJSONSchema(siteRevokedSchema) as { required?: string[]; properties?: Record<string, unknown> };
    expect([...(json.required ?? [])].sort()).toEqual([...V1_REQUIRED].sort());
    expect(Object.keys(json.properties ?? {})).toEqual(expect.arrayContaining(Object.keys(sample)));
  });

  it('carries no personal data: no reason text, no person, no e-mail address (PIPL)', () => {
    const json = z.toJSONSchema(siteRevokedSchema) as { properties?: Record<string, unknown> };
    const names = Object.keys(json.properties ?? {});
    for (const forbidden of ['reason', 'decidedBy', 'openedBy', 'email', 'managerName', 'idNumber']) expect(names).not.toContain(forbidden);
    expect(JSON.stringify(sample)).not.toMatch(/@/);
  });

  it('names each cause with its article (Art.23(1)–(3), Art.21)', () => {
    expect(siteRevokedSchema.safeParse({ ...sample, cause: 'inactivity', article: 'Art.23(1)' }).success).toBe(true);
    expect(siteRevokedSchema.safeParse({ ...sample, cause: 'bad-luck' }).success).toBe(false);
    expect(siteRevokedSchema.safeParse({ ...sample, article: 'because' }).success).toBe(false);
  });
});
