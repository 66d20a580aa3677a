import { seedDemoData } from '../../local/seed.ts';
import { DemoScenario } from '../../local/demo-scenario.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack.ts';

/**
 * Starts the whole local stack for one integration test file, seeded as
 * `npm start` seeds it, on its own ports: `TEST_PORT_BASE` (default 5200)
 * + the file's `offset` + 20 per vitest worker, so files, workers and other
 * checkouts running the suite at once never share a port.
 */
export async function startSeededStack(offset: number, name: string, options: Omit<LocalStackOptions, 'portBase' | 'dataDir'> = {}): Promise<{ stack: LocalStack; demo: DemoScenario }> {
  const portBase = Number(process.env.TEST_PORT_BASE ?? 5200) + offset + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
  const stack = await startLocalStack({ ...options, portBase, dataDir: `.local/test-${name}-${portBase}` });
  await seedDemoData(stack);
  return { stack, demo: new DemoScenario(stack) };
}
