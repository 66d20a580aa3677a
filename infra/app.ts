/**
 * CDK entry point (`cdk.json` → `node --import tsx infra/app.ts`).
 *
 * `npm run synth` synthesises offline with no credentials. Partition and
 * config come from context: `-c partition=aws-cn` selects `config:aws-cn`
 * (OIDC + SMTP) and the region cn-north-1; `-c region=…` and
 * `-c config='{"…"}'` override. See infra/config.ts.
 */
import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.ts';

const app = new App();
buildApp(app);
app.synth();
