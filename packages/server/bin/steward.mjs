#!/usr/bin/env node
// Runs the TypeScript CLI on the Node that invoked it (Node 24 through npm scripts and npx).
import { fileURLToPath } from 'node:url';
await import(fileURLToPath(new URL('../src/cli.ts', import.meta.url)));
