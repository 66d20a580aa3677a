import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledgements of cdk-nag findings (cdk-nag 3 reads CDK's
 * `Validations.of(scope).acknowledge()`; the v2 `NagSuppressions` API is gone).
 * Every acknowledgement names one finding and carries the reason it is
 * accepted; the infra tests check that reasons are written out.
 */

/** Acknowledges one rule (e.g. `AwsSolutions-COG2`) on a construct and its children. */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: rule, reason });
}

/**
 * Acknowledges AwsSolutions-IAM5 for exactly these wildcard resources. The
 * finding id is the resource as cdk-nag prints it (`arn:<AWS::Partition>:…/*`),
 * computed here with cdk-nag's own flattening, so the ARN must not hold a
 * cross-stack reference (those only resolve at synth).
 */
export function acknowledgeWildcardResources(scope: IConstruct, reason: string, resources: readonly string[]): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    const flat = flattenCfnReference(stack.resolve(resource));
    acknowledge(scope, `AwsSolutions-IAM5[Resource::${flat}]`, reason);
  }
}

/** Acknowledges AwsSolutions-IAM5 for exactly these wildcard actions (`kms:GenerateDataKey*`). */
export function acknowledgeWildcardActions(scope: IConstruct, reason: string, actions: readonly string[]): void {
  for (const action of actions) acknowledge(scope, `AwsSolutions-IAM5[Action::${action}]`, reason);
}
