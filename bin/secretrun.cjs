#!/usr/bin/env node
'use strict';
// First of all: SIGUSR1 would make Node open its inspector on 127.0.0.1:9229, through which
// anyone on the machine could read this process's environment (VAULT_TOKEN, SECRETRUN_KEY).
// A listener takes the signal from Node for every command; the runner passes it on to its
// command once there is one. Only a signal that comes while Node itself boots, before this
// line, still reaches the inspector (docs/security.md).
process.on('SIGUSR1', () => undefined);
// The rest of start-up — which bundle a command line loads, V8's code cache — is
// src/startup/start.ts, built into dist/start.cjs (docs/runner.md#start-up).
require('../dist/start.cjs');
