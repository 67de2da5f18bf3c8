#!/usr/bin/env node
// CLI entry: loads the TypeScript sources through tsx (no build step) and runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../bot/main.ts');
