// Builds the unpacked extension into dist/: three bundles (content script, service
// worker, options page) plus the manifest, the options page's HTML/CSS and icons.
import { build } from 'esbuild';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iconPng } from './scripts/icons.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'icons'), { recursive: true });
await build({
  entryPoints: {
    content: join(here, 'src/content/main.ts'),
    'service-worker': join(here, 'src/background/service-worker.ts'),
    options: join(here, 'src/options/options.ts'),
  },
  outdir: dist,
  bundle: true,
  // Content scripts and a classic service worker are plain scripts, not modules.
  format: 'iife',
  target: 'chrome116',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
await cp(join(here, 'static'), dist, { recursive: true });
for (const size of [16, 32, 48, 128]) await writeFile(join(dist, 'icons', `${size}.png`), iconPng(size));
console.log(`Built the extension in ${dist}`);
