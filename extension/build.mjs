// Builds the unpacked extension into dist/: the bundles (content script, service worker,
// and the extension's own pages: options, first-run, privacy policy) plus the manifest,
// the pages' HTML/CSS, the _locales messages and icons.
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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
    welcome: join(here, 'src/welcome/welcome.ts'),
    privacy: join(here, 'src/privacy/privacy.ts'),
  },
  outdir: dist,
  bundle: true,
  // Content scripts and a classic service worker are plain scripts, not modules.
  format: 'iife',
  target: 'chrome116',
  sourcemap: 'linked',
  legalComments: 'none',
  define: { __HOSTED_BACKEND__: JSON.stringify(process.env.INTRO_COACH_BACKEND_ORIGIN ?? '') },
  logLevel: 'warning',
});
await cp(join(here, 'static'), dist, { recursive: true });
// A store build names its hosted analyzer (INTRO_COACH_BACKEND_ORIGIN=https://…): the only
// host besides this machine it may reach, and the first-run page's default.
const hosted = process.env.INTRO_COACH_BACKEND_ORIGIN;
if (hosted) {
  const origin = new URL(hosted);
  if (origin.protocol !== 'https:') throw new Error('INTRO_COACH_BACKEND_ORIGIN must be https');
  const manifestPath = join(dist, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  manifest.host_permissions.push(`${origin.origin}/*`);
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
}
for (const size of [16, 32, 48, 128]) await writeFile(join(dist, 'icons', `${size}.png`), iconPng(size));
console.log(`Built the extension in ${dist}`);
