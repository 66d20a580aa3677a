import madge from 'madge';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering of the repository, read from the import graph (type-only
 * imports included: a circle of types is still a circle for a reader).
 * `madge` builds the graph with the TypeScript resolver of tsconfig.json.
 */
const ROOTS = ['functions', 'schemas', 'web/src', 'infra', 'local', 'scripts', 'bench'];

let graph: Record<string, string[]>;
let circles: string[][];

const importsOf = (predicate: (file: string) => boolean) =>
  Object.entries(graph)
    .filter(([file]) => predicate(file))
    .flatMap(([file, deps]) => deps.map((dep) => `${file} -> ${dep}`));

describe('the import graph', () => {
  beforeAll(async () => {
    const result = await madge(ROOTS, {
      fileExtensions: ['ts', 'tsx'],
      tsConfig: 'tsconfig.json',
      excludeRegExp: [/node_modules/, /\.d\.ts$/, /^web\/dist\//],
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    });
    graph = result.obj();
    circles = result.circular();
  });

  it('reads every layer (the graph is not empty because of a resolver fault)', () => {
    for (const root of ['functions/', 'schemas/', 'web/src/', 'infra/', 'local/']) {
      expect(Object.keys(graph).filter((file) => file.startsWith(root)).length, root).toBeGreaterThan(3);
    }
    expect(graph['functions/catalog.ts']).toContain('functions/catalog/types.ts');
  });

  it('has no import circle anywhere', () => {
    expect(circles).toEqual([]);
  });

  it('keeps schemas/ and web/ below functions/: they never import from functions/', () => {
    expect(importsOf((file) => file.startsWith('schemas/') || file.startsWith('web/')).filter((edge) => edge.includes('-> functions/'))).toEqual([]);
  });

  it('keeps the pure validators at the bottom: schemas/validators imports nothing outside itself', () => {
    expect(importsOf((file) => file.startsWith('schemas/validators/')).filter((edge) => !edge.split(' -> ')[1]!.startsWith('schemas/validators/'))).toEqual([]);
  });

  it('keeps functions/domain pure: no adapter, no handler, no HTTP edge', () => {
    expect(
      importsOf((file) => file.startsWith('functions/domain/')).filter((edge) =>
        /-> functions\/(adapters|handlers|use-cases)\/|-> functions\/shared\/(http|idempotency|logger)\.ts/.test(edge),
      ),
    ).toEqual([]);
  });

  it('keeps use cases off the HTTP edge: they take a Caller from shared/identity.ts', () => {
    expect(importsOf((file) => file.startsWith('functions/use-cases/')).filter((edge) => edge.endsWith('-> functions/shared/http.ts'))).toEqual([]);
  });
});
