import { SecretrunError } from '../errors.js';

// A store file that git merged line by line: two branches changed the header (its MAC changes
// with every write), so git wrote conflict markers into it and the file is no longer a store.
// The store reader calls this only after the header failed to parse, so reads pay nothing for
// it. Pure.

// Where the markers are: how many conflicted hunks, and the line of the first.
export interface ConflictMarkers {
  hunks: number;
  firstLine: number;
}

// git's markers are 7 characters by default (the conflict-marker-size attribute can make them
// longer) and start a line; the opening and closing ones are followed by a space and a label.
const opening = Buffer.from('<<<<<<<');
const closing = Buffer.from('>>>>>>>');
const newline = 0x0a;

function markerLines(bytes: Buffer, marker: Buffer): number[] {
  const found: number[] = [];
  for (let at = bytes.indexOf(marker); at !== -1; at = bytes.indexOf(marker, at + marker.length)) {
    if (at !== 0 && bytes[at - 1] !== newline) continue;
    const next = bytes[at + marker.length];
    if (next === undefined || next === 0x20 || next === newline || next === 0x0d || next === marker[0]) found.push(at);
  }
  return found;
}

function lineNumber(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let at = bytes.indexOf(newline); at !== -1 && at < offset; at = bytes.indexOf(newline, at + 1)) line++;
  return line;
}

// The conflict markers of a store file, or undefined when it has none. An opening marker with
// a closing one after it is required: a store line always starts with `{`, so one such pair
// cannot be anything else.
export function findConflictMarkers(bytes: Buffer): ConflictMarkers | undefined {
  const openings = markerLines(bytes, opening);
  const closings = markerLines(bytes, closing);
  const first = openings[0];
  if (first === undefined || !closings.some((at) => at > first)) return undefined;
  return { hunks: openings.length, firstLine: lineNumber(bytes, first) };
}

// The error for a store holding conflict markers: what happened and how to finish the merge.
export function conflictMarkersError(path: string, markers: ConflictMarkers): SecretrunError {
  const hunks = markers.hunks === 1 ? 'a conflicted hunk' : `${markers.hunks} conflicted hunks`;
  return new SecretrunError(
    'store_format',
    `store ${path} holds git conflict markers (${hunks}, the first at line ${markers.firstLine}): git merged it line by line, which cannot work for a store`,
    {
      hint: `finish the merge with secretrun's merge driver: run \`secretrun git setup\` once, then \`git checkout --merge -- ${path}\` to merge it again secret by secret (or \`git merge --abort\` and merge again)`,
    },
  );
}
