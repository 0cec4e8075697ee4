// Builds the probe extension (run by bench/run.mjs before it starts VS Code).
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
const here = fileURLToPath(new URL('.', import.meta.url));
await Promise.all([
  esbuild.build({ entryPoints: [`${here}src/extension.ts`], outfile: `${here}dist/extension.js`, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning' }),
  esbuild.build({ entryPoints: [`${here}src/webview.ts`], outfile: `${here}dist/webview.js`, bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' }),
]);
