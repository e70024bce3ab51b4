// The dotenv package's parser, as a module of ours so that the build can make it a lazy bundle
// (scripts/build.mjs maps our modules, not packages): only manifests with dotenv files and
// `secretrun import` load it.
export { parse } from 'dotenv';
