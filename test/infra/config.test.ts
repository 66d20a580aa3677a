import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig, readPartition } from '../../infra/config.ts';
import { regionFor } from '../../infra/build-app.ts';
import { retentionDays } from '../../infra/constructs/retention.ts';
import { contextConfig, synth } from './synth.ts';

const reader = (context: Record<string, unknown>) => (key: string) => context[key];

describe('infra/config', () => {
  describe('loadConfig', () => {
    it('reads config:<partition> from context when no config is given', () => {
      const config = loadConfig(reader({ 'config:aws-cn': contextConfig('aws-cn'), partition: 'aws-cn' }));
      expect(config.identity.kind).toBe('oidc');
    });

    it('prefers context config, given as JSON text on the command line', () => {
      const chosen = contextConfig('aws', (c) => (c.stage = 'prod'));
      const config = loadConfig(reader({ 'config:aws': contextConfig('aws'), config: JSON.stringify(chosen) }));
      expect(config.stage).toBe('prod');
    });

    it('fills the defaults and the SES configuration set name', () => {
      const config = loadConfig(reader({ 'config:aws': contextConfig('aws') }));
      expect(config.deadlines.inactivityDays).toBe(730);
      expect(config.mail.transport === 'ses' && config.mail.configurationSet).toBe('exam-site-dev');
    });

    it('says where to put a config when there is none', () => {
      expect(() => loadConfig(reader({}))).toThrow(/config:aws/);
    });
  });

  describe('parseConfig', () => {
    it('lists every invalid field with its path', () => {
      const raw = contextConfig('aws', (c) => {
        c.portalOrigin = 'not a url';
        c.quarantineRetentionDays = 0;
      });
      try {
        parseConfig(raw, 'test', 'aws');
        expect.unreachable('invalid config accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).issues.map((issue) => issue.split(':')[0])).toEqual(['portalOrigin', 'quarantineRetentionDays']);
      }
    });

    it('refuses a province with sites but no provincial education authority address, at synth (Art.21)', () => {
      const raw = contextConfig('aws', (c) => {
        c.siteProvinces = ['440000', '330000'];
        c.provincialAuthorities = { '440000': 'jyt@gd.gov.example' };
      });
      expect(() => parseConfig(raw, 'test', 'aws')).toThrow(/provincialAuthorities\.330000.*province 330000 has sites .*no provincial education authority address.*Art\.21/);
    });

    it('refuses an authority under a code that is not a province', () => {
      const raw = contextConfig('aws', (c) => {
        c.provincialAuthorities = { '999900': 'x@y.example' };
      });
      expect(() => parseConfig(raw, 'test', 'aws')).toThrow(/provincialAuthorities\.999900/);
    });

    it('ships a config for each partition whose site provinces all have their authority, and a 14-day representation window by default', () => {
      for (const partition of ['aws', 'aws-cn'] as const) {
        const config = loadConfig(reader({ [`config:${partition}`]: contextConfig(partition), partition }));
        expect(config.siteProvinces.length).toBeGreaterThan(0);
        for (const code of config.siteProvinces) expect(config.provincialAuthorities[code]).toMatch(/@/);
        expect(config.deadlines.representationDays).toBe(14);
      }
    });

    it('refuses Cognito and SES for the China partition, where neither is offered', () => {
      expect(() => parseConfig(contextConfig('aws'), 'test', 'aws-cn')).toThrow(/Cognito user pools are not offered[\s\S]*SES is not offered/);
    });

    it('refuses deadlines whose worst path through the accreditation outlives a Standard execution, naming the sum', () => {
      const raw = contextConfig('aws', (c) => {
        c.deadlines = { returnDays: 90, maxReturnRounds: 10, reviewDays: 90, siteVisitDays: 120, decisionDays: 90 };
      });
      expect(() => parseConfig(raw, 'test', 'aws')).toThrow(
        /deadlines: accreditation: worst case 4,500 days = .*10 return rounds × 90 d correction \(deadlines\.returnDays\).*more than 330 days/,
      );
    });

    it('refuses malformed JSON text with the source named', () => {
      expect(() => parseConfig('{"stage":', 'context "config"', 'aws')).toThrow(/context "config" is not valid JSON/);
    });
  });

  describe('readPartition', () => {
    it('accepts aws and aws-cn only', () => {
      expect(readPartition(reader({}))).toBe('aws');
      expect(readPartition(reader({ partition: 'aws-cn' }))).toBe('aws-cn');
      expect(() => readPartition(reader({ partition: 'aws-us-gov' }))).toThrow(ConfigError);
    });
  });
});

describe('infra/build-app', () => {
  describe('regionFor', () => {
    it('uses cn-north-1 for aws-cn unless a China region is given, ignoring the CLI default us-east-1', () => {
      expect(regionFor('aws-cn', undefined, 'us-east-1')).toBe('cn-north-1');
      expect(regionFor('aws-cn', undefined, 'cn-northwest-1')).toBe('cn-northwest-1');
      expect(regionFor('aws-cn', 'cn-northwest-1', 'us-east-1')).toBe('cn-northwest-1');
    });

    it('refuses a context region outside the partition', () => {
      expect(() => regionFor('aws-cn', 'eu-west-1')).toThrow(/not in partition aws-cn/);
      expect(() => regionFor('aws', 'cn-north-1')).toThrow(/not in partition aws/);
    });

    it('stays region-agnostic for aws when nothing names a region', () => {
      expect(regionFor('aws')).toBeUndefined();
      expect(regionFor('aws', undefined, 'eu-central-1')).toBe('eu-central-1');
    });
  });
});

describe('infra/constructs/retention', () => {
  describe('retentionDays', () => {
    it('rounds a configured number of days up to the next period CloudWatch accepts', () => {
      expect(retentionDays(365)).toBe(365);
      expect(retentionDays(100)).toBe(120);
      expect(retentionDays(3653)).toBe(3653);
    });
  });
});

describe('cdk synth with a bad configuration', () => {
  it('fails before any stack is built when -c config holds deadlines a Standard execution cannot outlive, with the sum in the message', () => {
    const config = JSON.stringify(contextConfig('aws', (c) => (c.deadlines = { returnDays: 60, maxReturnRounds: 5 })));
    expect(() => synth({ config })).toThrow(/Invalid configuration in context "config":\n {2}- deadlines: accreditation: worst case 600 days = 15 attempts/);
  });
});
