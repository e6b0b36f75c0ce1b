#!/usr/bin/env node
/** The `ctt` binary. */
import { runCli } from './cli/run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), process.env);
