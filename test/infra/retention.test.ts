import { beforeAll, describe, expect, it } from 'vitest';
import { contextConfig, flat, functionByName, resourcesOf, synth, type Synthesized } from './synth.ts';

describe('evidence retention (ID-card copies kept no longer than the policy)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ partition: 'aws', config: contextConfig('aws', (c) => (c.evidenceRetentionDays = 400)) });
  });

  it('expires the files tagged for an ended application after evidenceRetentionDays', () => {
    const buckets = Object.values(resourcesOf(s.statefulTemplate, 'AWS::S3::Bucket')) as Array<{ Properties: { LifecycleConfiguration?: { Rules: Array<Record<string, unknown>> } } }>;
    const rules = buckets.flatMap((b) => b.Properties.LifecycleConfiguration?.Rules ?? []);
    const rule = rules.find((r) => r.Id === 'expire-ended-application-evidence');
    expect(rule).toMatchObject({ Status: 'Enabled', ExpirationInDays: 400, TagFilters: [{ Key: 'retention', Value: 'application-ended' }] });
  });

  it('lets record-outcome set only the retention tag, only under applications/, and read no evidence', () => {
    const { statements } = functionByName(s.statelessTemplate, 'record-outcome');
    const s3 = statements.filter((st) => st.Effect === 'Allow' && st.Action.some((a) => a.startsWith('s3:')));
    expect(s3.flatMap((st) => st.Action).sort()).toEqual(['s3:PutObjectTagging']);
    for (const st of s3) {
      for (const r of st.Resource) expect(flat(r)).toMatch(/\/applications\/\*$/);
      expect(JSON.stringify(st.Condition)).toContain('"s3:RequestObjectTagKeys":["retention"]');
    }
  });
});
