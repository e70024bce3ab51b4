#!/usr/bin/env node
// Thin entry: everything lives in the bundle so start-up loads one file.
import { runFromProcess } from '../dist/cli.mjs';

await runFromProcess();
