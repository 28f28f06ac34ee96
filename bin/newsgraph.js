#!/usr/bin/env node
// Entry point of the `newsgraph` command: runs the compiled CLI in `out/`.
import {main} from '../out/pipeline/cli.js'

process.exitCode = await main(process.argv.slice(2))
