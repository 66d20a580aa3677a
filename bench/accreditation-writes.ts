import { writeTally } from '../functions/adapters/stores/table.ts';
import { startLocalStack } from '../local/stack.ts';
import { seedDemoData } from '../local/seed.ts';
import { DemoScenario, demoInstitutions } from '../local/demo-scenario.ts';

/** Write units (DynamoDB's ConsumedCapacity, as DynamoDB Local reports it) and item writes of a phase. */
export interface WriteFigures {
  readonly units: number;
  readonly items: number;
  readonly requests: number;
}

function since(start: WriteFigures): WriteFigures {
  const now = writeTally();
  return { units: now.units - start.units, items: now.items - start.items, requests: now.requests - start.requests };
}

/**
 * One happy-path accreditation through the local stack, counted by the table
 * kernel (every write asks for ReturnConsumedCapacity): the application
 * prepared (created, form saved, eight evidence files uploaded and
 * validated), then accredited (submitted, screened, three decisions, the
 * ACTIVE site). The handlers run in this process, so the kernel's tally is
 * the stack's.
 */
export async function measureAccreditationWrites(portBase: number): Promise<{ preparation: WriteFigures; accreditation: WriteFigures }> {
  const stack = await startLocalStack({ portBase, dataDir: '.local/bench-writes' });
  try {
    await seedDemoData(stack);
    const demo = new DemoScenario(stack);
    const { pilot } = demoInstitutions();
    const start = writeTally();
    const id = await demo.apply(pilot);
    await stack.advance('PT1M');
    const preparation = since(start);
    const submitted = writeTally();
    await demo.submit(pilot, id);
    await demo.decide('approve-for-visit', 'Materials complete.');
    await stack.advance('P7D');
    const visit = await demo.decide('approve', 'As declared.', { recommendation: 'approve' });
    await stack.advance('P1D');
    await demo.decide('approve', 'Both passed (Art.4).', {}, visit.sub);
    await stack.advance('PT1M');
    const status = await demo.status(id);
    if (status !== 'APPROVED') throw new Error(`the bench accreditation ended ${status}, not APPROVED`);
    return { preparation, accreditation: since(submitted) };
  } finally {
    await stack.stop();
  }
}

/** Marks the one stdout line the bench reads back from the child process. */
export const WRITES_LINE = 'accreditation-writes ';

/**
 * Runs {@link measureAccreditationWrites} in a child process: the handlers'
 * AWS clients are created once per process, so a second local stack in the
 * bench's own process would leave them pointing at the first stack's
 * (stopped) endpoints.
 */
export async function measureAccreditationWritesApart(portBase: number): Promise<{ preparation: WriteFigures; accreditation: WriteFigures }> {
  const { execFile } = await import('node:child_process');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', import.meta.filename, String(portBase)], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'error' } }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    );
  });
  const line = stdout.split('\n').find((l) => l.startsWith(WRITES_LINE));
  if (!line) throw new Error(`the write measurement printed no result:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(WRITES_LINE.length));
}

if (process.argv[1] === import.meta.filename) {
  const figures = await measureAccreditationWrites(Number(process.argv[2] ?? 4960));
  console.log(`${WRITES_LINE}${JSON.stringify(figures)}`);
  process.exit(0);
}
