// The manifest's library API (re-exports only).
export { readManifest } from './read-manifest.js';
export { parseManifest } from './parse-manifest.js';
export { parseManifestEnvironments } from './parse-manifest.js';
export type { ManifestOrigin, ManifestChoice } from './parse-manifest.js';
export { readManifestEnvironments } from './read-manifest.js';
export { chooseEnvironment, fillEnvironment, usesEnvironment } from './environment.js';
export { defaultManifest, runnerCredentials } from './manifest.js';
export type { Manifest, VariableSpec, Expansion, SourceSpec, RemoteAuth, OnChange, MaskMode, SignalName, RunnerCredential } from './manifest.js';
export { parseReference, tryParseReference, formatReference } from './reference.js';
export type { Reference } from './reference.js';
export { parseTemplate } from './template.js';
export { parseDuration } from './duration.js';
export { parseVariableFlag, withFlagVariables } from './variable-flag.js';
