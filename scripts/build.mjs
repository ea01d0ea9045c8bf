#!/usr/bin/env node
// Builds dist/ (plain JavaScript, what `npm start` runs) from src/ with tsc and tsconfig.build.json.
// `--if-stale` (npm's prepare, and prestart through scripts/prestart.sh) builds only when dist/ is missing or older
// than a file or folder in src/ or a tsconfig.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const require = createRequire(import.meta.url);

/** The newest modification time under src/ (folders too: a deleted or renamed file changes its folder's). */
function newestSource() {
  let newest = 0;
  const visit = (p) => {
    const st = fs.statSync(p);
    newest = Math.max(newest, st.mtimeMs);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
  };
  visit(path.join(root, 'src'));
  for (const f of ['tsconfig.json', 'tsconfig.build.json']) newest = Math.max(newest, fs.statSync(path.join(root, f)).mtimeMs);
  return newest;
}

/** The newest source time the current dist/ was built from (-1: no build). */
function builtFrom() {
  try {
    return Number(fs.readFileSync(path.join(dist, '.built-from'), 'utf8'));
  } catch {
    return -1;
  }
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && builtFrom() >= newestSource()) process.exit(0);

// One build at a time (two starts, or test files, may ask together); whoever waited finds it fresh.
const { lock } = require('proper-lockfile');
const unlock = await lock(root, { lockfilePath: path.join(root, 'dist.lock'), retries: { retries: 600, factor: 1, minTimeout: 200, maxTimeout: 200 } });
try {
  const sources = newestSource();
  if (!ifStale || builtFrom() < sources) await build(sources);
} finally {
  await unlock();
}

async function build(sources) {
  const started = Date.now();
  const tmp = path.join(root, `dist.building-${process.pid}`);
  const tsc = require.resolve('typescript/bin/tsc');
  const child = spawn(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', tmp], { stdio: 'inherit' });
  const status = await new Promise((resolve) => child.on('close', resolve));
  if (status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    console.error('Building dist/ from src/ failed (tsc above).');
    process.exitCode = 1;
  } else {
    // The stamp holds, and is dated, the newest source time seen before compiling (+1 ms against rounding), so
    // that a change made during the build is newer (scripts/prestart.sh compares dates with find -newer).
    const stamp = path.join(tmp, '.built-from');
    fs.writeFileSync(stamp, String(sources));
    fs.utimesSync(stamp, new Date(sources + 1), new Date(sources + 1));
    // Swap the new build in whole, so that a start never runs half of one.
    fs.rmSync(dist, { recursive: true, force: true });
    fs.renameSync(tmp, dist);
    console.log(`Built dist/ from src/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
