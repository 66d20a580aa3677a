import { Aws } from 'aws-cdk-lib';

/**
 * Physical names that both stacks (and IAM statements) derive from the
 * stage, instead of passing them around as cross-stack tokens.
 */

/** Prefix of every named resource of a deployment. */
export function resourcePrefix(stage: string): string {
  return `exam-site-${stage}`;
}

/**
 * The evidence bucket: globally unique through account and region, at most
 * 63 characters for the longest stage the config allows (21).
 */
export function evidenceBucketName(stage: string): string {
  return `exam-${stage}-evidence-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** A workflow's state machine, named so that its ARN is known before it exists. */
export function stateMachineName(stage: string, workflow: string): string {
  return `${resourcePrefix(stage)}-${workflow}`;
}
