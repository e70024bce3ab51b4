// Set by scripts/build.mjs (esbuild `define`) to a hash of the sources the bundle was built
// from; undefined when the code runs unbundled (tests), where nothing is cached by build.
declare const __SECRETRUN_BUILD_ID__: string | undefined;

export const buildId: string | undefined = typeof __SECRETRUN_BUILD_ID__ === 'string' ? __SECRETRUN_BUILD_ID__ : undefined;

// Set by scripts/build.mjs from package.json's version; undefined when unbundled (tests).
declare const __SECRETRUN_VERSION__: string | undefined;

// This build's version, as package.json gave it at build time.
export const version: string = typeof __SECRETRUN_VERSION__ === 'string' ? __SECRETRUN_VERSION__ : 'dev';
