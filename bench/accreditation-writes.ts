import { documentClient } from '../functions/adapters/aws-clients.ts';
import { startLocalStack } from '../local/stack.ts';
import { seedDemoData } from '../local/seed.ts';
import { DemoScenario, demoInstitutions } from '../local/demo-scenario.ts';

/** Write units (DynamoDB's ConsumedCapacity, as DynamoDB Local reports it) and item writes. */
export interface WriteFigures {
  units: number;
  items: number;
  requests: number;
}

/** The commands as the document client's middleware sees them (the low-level names). */
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);

/**
 * Asks every DynamoDB write of this process for `ReturnConsumedCapacity:
 * TOTAL` and adds it up. The local stack runs the handlers in this process
 * and they share the one document client, so this sees every write they make.
 */
function countWrites(tally: WriteFigures): void {
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? '');
      if (!WRITES.has(name)) return next(args);
      const input = args.input as { ReturnConsumedCapacity?: string; TransactItems?: unknown[]; RequestItems?: Record<string, unknown[]> };
      input.ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> }).ConsumedCapacity;
      const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
      tally.units += list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      tally.items += input.TransactItems?.length ?? (input.RequestItems ? Object.values(input.RequestItems).reduce((n, l) => n + l.length, 0) : 1);
      tally.requests += 1;
      return out;
    },
    { step: 'initialize', name: 'benchWriteCounter' },
  );
}

function since(tally: WriteFigures, start: WriteFigures): WriteFigures {
  return { units: tally.units - start.units, items: tally.items - start.items, requests: tally.requests - start.requests };
}

/**
 * One happy-path accreditation through the local stack: the application
 * prepared (created, form saved, eight evidence files uploaded and
 * validated), then accredited (submitted, screened, three decisions, the
 * ACTIVE site), each phase's DynamoDB writes counted.
 */
export async function measureAccreditationWrites(portBase: number): Promise<{ preparation: WriteFigures; accreditation: WriteFigures }> {
  const stack = await startLocalStack({ portBase, dataDir: '.local/bench-writes' });
  const tally: WriteFigures = { units: 0, items: 0, requests: 0 };
  try {
    await seedDemoData(stack);
    countWrites(tally);
    const demo = new DemoScenario(stack);
    const { pilot } = demoInstitutions();
    const id = await demo.apply(pilot);
    await stack.advance('PT1M');
    const preparation = { ...tally };
    await demo.submit(pilot, id);
    await demo.decide('approve-for-visit', 'Materials complete.');
    await stack.advance('P7D');
    const visit = await demo.decide('approve', 'As declared.', { recommendation: 'approve' });
    await stack.advance('P1D');
    await demo.decide('approve', 'Both passed (Art.4).', {}, visit.sub);
    await stack.advance('PT1M');
    const status = await demo.status(id);
    if (status !== 'APPROVED') throw new Error(`the bench accreditation ended ${status}, not APPROVED`);
    return { preparation, accreditation: since(tally, preparation) };
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
