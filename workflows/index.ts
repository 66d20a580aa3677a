import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The layout of the workflows folder, read by CDK, the local stack, the
 * diagrams and the tests alike: one folder per workflow,
 * `<dir>/<name>/<name>.asl.json` with a README.md beside it. One state
 * machine per folder, named after it.
 */

/** A workflow of the folder: its name and the path of its ASL file. */
export interface WorkflowFileRef {
  readonly name: string;
  readonly file: string;
}

/** The folder of this file: the repository's `workflows/`. */
export const WORKFLOWS_DIR = import.meta.dirname;

/** Every workflow folder of `dir` that holds `<name>.asl.json`, sorted by name (none when `dir` does not exist). */
export function workflowFiles(dir: string = WORKFLOWS_DIR): WorkflowFileRef[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, file: join(dir, entry.name, `${entry.name}.asl.json`) }))
    .filter((ref) => existsSync(ref.file))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `DecisionTaskStateMachineArn` for `decision-task`: the `definitionSubstitutions` key of a workflow's ARN. */
export function stateMachineArnPlaceholder(workflow: string): string {
  return `${workflow.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase())}StateMachineArn`;
}
