#!/usr/bin/env node
// Runs the TypeScript CLI with plain Node: tsx compiles on the fly, so no Electron and no build step are needed.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/main.ts');
