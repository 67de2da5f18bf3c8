#!/usr/bin/env node
// `npm run build`: bundles the CLI (bot/main.ts and everything it imports, the generated Prisma
// client included) into dist/main.js with esbuild (and the PDF extraction thread into
// dist/services/documents/extract/pdf.thread.js), and copies the files the code reads by path
// at run time next to it. Packages stay external: they load from node_modules as before.
//
// Usage: node scripts/build.mjs [--outdir DIR]   (default: dist/)
//
// Files located through `import.meta.url` (processes/*.yaml from services/processes, the
// migrations from services/db, package.json from services/config) keep working because every
// bundled module sees the URL it would have at dist/<its source path>: `../../processes/` from
// dist/services/processes/definition.ts is dist/processes/, where the YAML is copied.
//
// Several processes may build at once (every `a2d2` command rebuilds a stale dist/): each output
// file is written to a temporary name and renamed over the old one, so a reader never sees a
// half-written file, and concurrent builds of the same sources write the same bytes.
import { build } from 'esbuild';
import { readFile, writeFile, rename, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = resolve(values.outdir ?? join(root, 'dist'));

/** Directories copied verbatim into the output (read at run time by path). */
const RESOURCES = ['processes', 'prisma/migrations', 'agents/understanding/corpus', 'agents/understanding/model'];

// Gives each bundled module of ours the import.meta.url it would have at <outdir>/<source path>,
// computed from the bundle's own URL so the output directory can move (Docker, npm pack).
const metaUrlPlugin = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const rel = relative(root, args.path).split(sep).join('/');
      return {
        contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(`./${rel}`)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

const started = Date.now();
const result = await build({
  absWorkingDir: root,
  // The PDF extraction threads' module is an entry of its own: services/documents/extract/
  // pdf.pool.ts starts dist/services/documents/extract/pdf.thread.js, next to its import.meta.url.
  entryPoints: { main: 'bot/main.ts', 'services/documents/extract/pdf.thread': 'services/documents/extract/pdf.thread.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  sourcemap: 'linked',
  // Names stay readable in stack traces and logs; whitespace and syntax minification only
  // shrink what V8 has to parse and keep.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [metaUrlPlugin],
  write: false,
});

const written = new Set();
/** Writes through a temporary file and a rename (atomic for readers). */
async function put(path, data) {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
  written.add(path);
}

for (const file of result.outputFiles) await put(file.path, file.contents);

async function copyTree(from, to) {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    if (entry.isDirectory()) await copyTree(src, join(to, entry.name));
    else if (entry.isFile()) await put(join(to, entry.name), await readFile(src));
  }
}
for (const dir of RESOURCES) await copyTree(join(root, dir), join(outdir, dir));

// services/config.ts reads the version from ../package.json; this one also marks dist/ as ESM.
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
await put(join(outdir, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module' }, null, 2)}\n`);

// Files of an earlier build that this one no longer produces (a removed process definition).
// Only regular files: links and whatever else lives there (a node_modules link) stay.
async function prune(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await prune(path);
    else if (entry.isFile() && !written.has(path) && !entry.name.endsWith('.tmp')) await rm(path, { force: true });
  }
}
await prune(outdir);

const size = (await stat(join(outdir, 'main.js'))).size;
console.log(`built ${relative(process.cwd(), join(outdir, 'main.js')) || 'main.js'} (${(size / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`);
