#!/usr/bin/env node
/** The `ctt` binary. */
import { setFlagsFromString } from 'node:v8';

// Ingest allocates many short-lived objects; a smaller young generation keeps a 1 GB catch-up
// well under 250 MB of memory at no measurable cost in speed. Set before anything else loads.
setFlagsFromString('--max-semi-space-size=4');

const { runCli } = await import('./cli/run-cli.js');
process.exitCode = await runCli(process.argv.slice(2), process.env);
