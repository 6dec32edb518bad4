#!/usr/bin/env node
// `npm run bench` entry: registers tsx in this process and runs the TypeScript harness (bench/run.ts), so the
// bench shares the demo cluster's source and types. The game itself runs from dist/ (built by `npm run bench`).
import {register} from 'tsx/esm/api';

register();
await import('./run.ts');
