import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Portal, type PortalProps } from './constructs/portal.ts';

/** Props of {@link PortalStack}. */
export interface PortalStackProps extends StackProps {
  readonly portal: PortalProps;
}

/**
 * The portal's hosting (S3 + CloudFront) in a stack of its own: it holds no
 * data, is deployed after the API (its config.json names the API URL), and
 * can be left out where the organisation hosts the static files elsewhere.
 */
export class PortalStack extends Stack {
  readonly portal: Portal;

  constructor(scope: Construct, id: string, props: PortalStackProps) {
    super(scope, id, props);
    this.portal = new Portal(this, 'Portal', props.portal);
    Tags.of(this).add('project', 'exam-site');
    Tags.of(this).add('stage', props.portal.stage);
  }
}
