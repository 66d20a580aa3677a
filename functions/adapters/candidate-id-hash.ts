import { KMSClient, GenerateMacCommand } from '@aws-sdk/client-kms';
import { candidateIdHash } from '../domain/site-operations/candidate-identity.ts';
import { ConfigurationError } from '../shared/env.ts';

/**
 * The keyed hash of a candidate's ID number (Art.14 duplicate checks,
 * PIPL): on AWS, HMAC-SHA-256 by KMS `GenerateMac` under the deployment's
 * HMAC key (`CANDIDATE_ID_KEY_ARN`; the key never leaves KMS); locally, the
 * same HMAC in-process under a key the local stack generates at start
 * (`CANDIDATE_ID_LOCAL_KEY`, base64). The canonical ID number goes to KMS
 * over TLS and nowhere else; it is never logged.
 */
let kms: KMSClient | undefined;

export async function hashCandidateId(canonicalId: string): Promise<string> {
  const keyArn = process.env.CANDIDATE_ID_KEY_ARN;
  if (keyArn) {
    kms ??= new KMSClient({});
    const out = await kms.send(new GenerateMacCommand({ KeyId: keyArn, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(canonicalId, 'utf8') }));
    if (!out.Mac) throw new Error('KMS GenerateMac returned no MAC');
    return Buffer.from(out.Mac).toString('base64url');
  }
  const localKey = process.env.CANDIDATE_ID_LOCAL_KEY;
  if (localKey) return candidateIdHash(Buffer.from(localKey, 'base64'), canonicalId);
  throw new ConfigurationError('neither CANDIDATE_ID_KEY_ARN nor CANDIDATE_ID_LOCAL_KEY is set');
}
