import { goTypeName, renderGoPrintable, type GoPrintable } from './sprintf.js';
import type { GoParseResult } from './strconv.js';
import { parseGoTemplate, type TemplateCommand, type TemplateNode, type TemplateOperand, type TemplatePipeline } from './text-template-parse.js';

// The executing half of Go's text/template subset (see text-template-parse.ts): evaluates
// pipelines left to right, passing each command's value as the last argument of the next, with
// Go's argument-count and argument-type checks and its error texts.

// The type of a function parameter.
export type TemplateParamType = 'string' | 'int' | 'bool' | 'any';

// A function callable from a template, with its Go signature.
export interface TemplateFunction {
  params: readonly TemplateParamType[];
  /** Type of the extra arguments a variadic function (printf) takes. */
  variadic?: TemplateParamType;
  call(args: readonly GoPrintable[]): GoParseResult<GoPrintable>;
}

// The data a template reads with `.Field`: a Go struct of printable fields.
export interface TemplateData {
  /** Go's type name, for "can't evaluate field X in type T". */
  typeName: string;
  fields: Readonly<Record<string, GoPrintable>>;
}

// A parsed template, ready to execute over data.
export interface GoTemplate {
  execute(data: TemplateData): GoParseResult<string>;
}

// Carries a failure out of nested evaluation to execute(), which turns it into a result.
class TemplateFailure {
  constructor(readonly message: string) {}
}

function typeFits(type: TemplateParamType, value: GoPrintable): boolean {
  return type === 'any' || goTypeName(value) === type;
}

// Go prints a struct as `{field1 field2}`.
function renderStruct(data: TemplateData): string {
  return `{${Object.values(data.fields).map(renderGoPrintable).join(' ')}}`;
}

function evalOperand(operand: TemplateOperand, data: TemplateData, functions: ReadonlyMap<string, TemplateFunction>): GoPrintable {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'field': {
      if (operand.path.length === 0) return renderStruct(data);
      const [name = '', ...deeper] = operand.path;
      const value = Object.hasOwn(data.fields, name) ? data.fields[name] : undefined;
      if (value === undefined) throw new TemplateFailure(`can't evaluate field ${name} in type ${data.typeName}`);
      if (deeper.length > 0) throw new TemplateFailure(`can't evaluate field ${deeper[0]} in type ${goTypeName(value)}`);
      return value;
    }
    case 'function':
      return callFunction(operand.name, [], functions);
    case 'pipeline':
      return evalPipeline(operand.pipeline, data, functions);
  }
}

function callFunction(name: string, args: readonly GoPrintable[], functions: ReadonlyMap<string, TemplateFunction>): GoPrintable {
  const fn = functions.get(name);
  if (fn === undefined) throw new TemplateFailure(`function "${name}" not defined`);
  const fixed = fn.params.length;
  if (fn.variadic === undefined ? args.length !== fixed : args.length < fixed) {
    throw new TemplateFailure(`wrong number of args for ${name}: want ${fn.variadic === undefined ? '' : 'at least '}${fixed} got ${args.length}`);
  }
  args.forEach((arg, index) => {
    const type = fn.params[index] ?? fn.variadic ?? 'any';
    if (!typeFits(type, arg)) throw new TemplateFailure(`wrong type for value; expected ${type}; got ${goTypeName(arg)}`);
  });
  const result = fn.call(args);
  if (!result.ok) throw new TemplateFailure(`error calling ${name}: ${result.error}`);
  return result.value;
}

function evalCommand(command: TemplateCommand, piped: GoPrintable | undefined, data: TemplateData, functions: ReadonlyMap<string, TemplateFunction>): GoPrintable {
  const [first, ...rest] = command.operands;
  try {
    if (first?.kind === 'function') {
      const args = rest.map((operand) => evalOperand(operand, data, functions));
      if (piped !== undefined) args.push(piped);
      return callFunction(first.name, args, functions);
    }
    if (first === undefined) throw new TemplateFailure('missing value for command');
    if (rest.length > 0 || piped !== undefined) throw new TemplateFailure(`can't give argument to non-function ${command.source.split(/\s/)[0] ?? ''}`);
    return evalOperand(first, data, functions);
  } catch (error) {
    // Report the innermost command that failed, as Go does.
    if (error instanceof TemplateFailure && !error.message.startsWith('template: ')) {
      throw new TemplateFailure(`template: template:${command.line}:${command.column}: executing "template" at <${command.source}>: ${error.message}`);
    }
    throw error;
  }
}

function evalPipeline(pipeline: TemplatePipeline, data: TemplateData, functions: ReadonlyMap<string, TemplateFunction>): GoPrintable {
  let value: GoPrintable | undefined;
  for (const command of pipeline) value = evalCommand(command, value, data, functions);
  return value ?? '';
}

function execute(nodes: readonly TemplateNode[], data: TemplateData, functions: ReadonlyMap<string, TemplateFunction>): GoParseResult<string> {
  let out = '';
  try {
    for (const node of nodes) out += node.kind === 'text' ? node.text : renderGoPrintable(evalPipeline(node.pipeline, data, functions));
  } catch (error) {
    if (error instanceof TemplateFailure) return { ok: false, error: error.message };
    throw error;
  }
  return { ok: true, value: out };
}

// template.New("template").Funcs(functions).Parse(text): a template or Go's parse error.
export function compileGoTemplate(text: string, functions: ReadonlyMap<string, TemplateFunction>): GoParseResult<GoTemplate> {
  const parsed = parseGoTemplate(text, new Set(functions.keys()));
  if (!parsed.ok) return parsed;
  const nodes = parsed.value;
  return { ok: true, value: { execute: (data) => execute(nodes, data, functions) } };
}
