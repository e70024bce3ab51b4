import { formatDataPath, locateKey, locateNode, nodePosition, splitPointer } from './yaml-location.js';
import type { Document, LineCounter } from 'yaml';
import type { Position } from './yaml-location.js';
import type { ManifestSchemaError } from './generated/validate-manifest.js';

// One thing wrong with a manifest, located at a key or value.
export interface ManifestProblem {
  readonly position: Position;
  /** Where in the data, as users read it: `env.DB_URL`; empty at the top level. */
  readonly path: string;
  readonly problem: string;
}

const typeNames: Record<string, string> = {
  string: 'a string',
  object: 'a map',
  array: 'a list',
  boolean: 'true or false',
  number: 'a number',
  integer: 'a whole number',
  null: 'empty',
};

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}

function expected(error: ManifestSchemaError): string {
  return error.parentSchema?.title ?? `a value matching ${String(error.params['pattern'])}`;
}

// Turns ajv's (verbose) errors into located, human problems. `if` errors only repeat the
// errors of the branch that failed, and `propertyNames` repeats its inner error, so both go.
export function buildSchemaProblems(errors: readonly ManifestSchemaError[], doc: Document, lineCounter: LineCounter): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const error of errors) {
    const segments = splitPointer(error.instancePath);
    const at = (node: Parameters<typeof nodePosition>[0], path: readonly string[], problem: string): void => {
      problems.push({ position: nodePosition(node, lineCounter), path: formatDataPath(path), problem });
    };
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    if (error.propertyName !== undefined) {
      const name = error.propertyName;
      const what = segments.length === 1 && segments[0] === 'environments' ? 'environment name' : 'variable name';
      at(locateKey(doc, segments, name), segments, `invalid ${what} '${name}' (expected ${expected(error)})`);
      continue;
    }
    const located = locateNode(doc, segments);
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(error.params['additionalProperty']);
        const allowed = Object.keys(error.parentSchema?.properties ?? {}).join(', ');
        at(locateKey(doc, segments, key), segments, `unknown key '${key}' (allowed: ${allowed})`);
        break;
      }
      case 'required':
        at(located.value, segments, `missing key '${String(error.params['missingProperty'])}'`);
        break;
      case 'type': {
        const types = ([] as unknown[]).concat(error.params['type']).map((type) => typeNames[String(type)] ?? String(type));
        at(located.value, segments, `must be ${types.join(' or ')}`);
        break;
      }
      case 'pattern':
        at(located.value, segments, `invalid value ${quote(error.data)} (expected ${expected(error)})`);
        break;
      case 'enum': {
        const allowed = (error.params['allowedValues'] as unknown[]).map((value) => String(value)).join(', ');
        at(located.value, segments, `invalid value ${quote(error.data)} (allowed: ${allowed})`);
        break;
      }
      default:
        at(located.value, segments, error.message ?? `fails schema rule '${error.keyword}'`);
    }
  }
  return problems;
}

// Renders one problem as `file:line:col: path: problem`.
export function formatProblem(file: string, problem: ManifestProblem): string {
  const where = `${file}:${problem.position.line}:${problem.position.col}`;
  return problem.path === '' ? `${where}: ${problem.problem}` : `${where}: ${problem.path}: ${problem.problem}`;
}

// Sorts problems by position and drops exact repeats (two schema branches can report the same thing).
export function sortProblems(problems: readonly ManifestProblem[]): ManifestProblem[] {
  const seen = new Set<string>();
  return [...problems]
    .sort((a, b) => a.position.line - b.position.line || a.position.col - b.position.col)
    .filter((problem) => {
      const key = `${problem.position.line}:${problem.position.col}:${problem.path}:${problem.problem}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
