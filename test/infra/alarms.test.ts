import { beforeAll, describe, expect, it } from 'vitest';
import { contextConfig, resourcesOf, synth, type Synthesized } from './synth.ts';

describe('operations: alarms notify someone', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ partition: 'aws', config: contextConfig('aws', (c) => (c.alarmEmails = ['ops@org.example', 'duty@org.example'])) });
  });

  it('sends every alarm to the alarm topic', () => {
    const topics = Object.keys(resourcesOf(s.statelessTemplate, 'AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    const alarms = Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect((alarm as { Properties: { AlarmActions?: unknown[] } }).Properties.AlarmActions).toEqual([{ Ref: topics[0] }]);
    }
  });

  it('encrypts the topic with a rotating customer key and refuses plain HTTP', () => {
    const [topic] = Object.values(resourcesOf(s.statelessTemplate, 'AWS::SNS::Topic')) as Array<{ Properties: { KmsMasterKeyId?: unknown } }>;
    expect(topic!.Properties.KmsMasterKeyId).toBeDefined();
    const policies = JSON.stringify(resourcesOf(s.statelessTemplate, 'AWS::SNS::TopicPolicy'));
    expect(policies).toContain('aws:SecureTransport');
  });

  it('subscribes the configured alarm e-mail addresses', () => {
    const subs = Object.values(resourcesOf(s.statelessTemplate, 'AWS::SNS::Subscription')) as Array<{ Properties: { Protocol: string; Endpoint: string } }>;
    expect(subs.map((x) => `${x.Properties.Protocol}:${x.Properties.Endpoint}`).sort()).toEqual(['email:duty@org.example', 'email:ops@org.example']);
  });
});
