import { appConfigSchema, type AppConfig } from '../schemas/config.schema.ts';
import type { LocalPorts } from './ports.ts';

/** The OAuth client id (and token audience) of the portal on the local stack. */
export const LOCAL_CLIENT_ID = 'exam-site-portal';

/** The app configuration the local stack runs with: the same schema as on AWS, local addresses. */
export function localAppConfig(ports: LocalPorts): AppConfig {
  const origin = `http://127.0.0.1:${ports.gateway}`;
  return appConfigSchema.parse({
    stage: 'local',
    identity: { kind: 'oidc', issuerUrl: `${origin}/_local/oidc`, audience: [LOCAL_CLIENT_ID], groupsClaim: 'cognito:groups' },
    mail: { transport: 'ses', sender: 'noreply@exam-site.local', ratePerSecond: 50 },
    portalOrigin: origin,
    provincialAuthorities: {
      '440000': 'jyt@gd.gov.example',
      '350000': 'jyt@fj.gov.example',
      '330000': 'jyt@zj.gov.example',
      '420000': 'jyt@hubei.gov.example',
      '510000': 'jyt@sc.gov.example',
      '610000': 'jyt@shaanxi.gov.example',
    },
    // The seed's and the demo's pilot colleges are in these provinces: each has its authority above (Art.21).
    siteProvinces: ['440000', '350000', '330000', '420000', '510000', '610000'],
  });
}
