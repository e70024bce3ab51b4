// Set by scripts/build.mjs (esbuild `define`) to a hash of the sources the bundle was built
// from; undefined when the code runs unbundled (tests), where nothing is cached by build.
declare const __SECRETRUN_BUILD_ID__: string | undefined;

export const buildId: string | undefined = typeof __SECRETRUN_BUILD_ID__ === 'string' ? __SECRETRUN_BUILD_ID__ : undefined;
