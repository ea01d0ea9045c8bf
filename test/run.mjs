#!/usr/bin/env node
// Runs the whole suite with tap: on PGlite, then again on PostgreSQL when TEST_DATABASE_URL is set.
// Usage: node test/run.mjs [--only unit,routes,process,browser]
// Ends with one line "N passed, N failed" that sums every run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const args = process.argv.slice(2);
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1].split(',') : ['unit', 'routes', 'process', 'browser'];
const dirs = only.filter((d) => fs.existsSync(`test/${d}`)).map((d) => `test/${d}/**/*.test.ts`);

function ensureChromium() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (fs.existsSync(path)) return;
  // The browser tests drive Debian's chromium; install it where we can (root on Debian), as .ci/run does.
  if (process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
    console.log('# chromium is missing: installing it with apt-get (needed by the browser tests)');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit' });
  }
  if (!fs.existsSync(path)) {
    console.log(`# chromium not found at ${path}: install it (apt-get install chromium) or set CHROMIUM_PATH; the browser tests will fail.`);
  }
}

function runTap(label, env) {
  return new Promise((resolve) => {
    console.log(`\n# ===== ${label} =====`);
    const child = spawn(process.execPath, ['node_modules/tap/dist/esm/run.mjs', ...dirs], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let tail = '';
    let partial = '';
    const stack = []; // the "# Subtest:" names enclosing the current line, by indentation
    const failures = [];
    const track = (line) => {
      const sub = /^(\s*)# Subtest: (.*)$/.exec(line);
      if (sub) {
        const depth = sub[1].length / 4;
        stack.length = depth;
        stack[depth] = sub[2];
        return;
      }
      const bad = /^(\s*)not ok \d+ - (.*)$/.exec(line);
      if (bad) {
        const depth = bad[1].length / 4;
        // a failing assertion, under the subtests that enclose it; a subtest's own "not ok" line only repeats it
        // (kept only when nothing inside it failed: a file that ended early, a timeout)
        const ownLine = stack.length > depth && bad[2].startsWith(stack[depth]);
        const path = ownLine ? stack.slice(0, depth + 1).join(' > ') : [...stack.slice(0, depth), bad[2]].join(' > ');
        if (!ownLine || !failures.some((f) => f.startsWith(path))) failures.push(path);
      }
    };
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      const lines = (partial + text).split('\n');
      partial = lines.pop();
      lines.forEach(track);
    });
    child.on('close', (code) => {
      // tap's summary, e.g. "# { total: 12, pass: 10, fail: 1, skip: 1 }"
      const m = /# \{ (total: \d+[^}]*) \}/.exec(tail);
      const counts = Object.fromEntries((m ? m[1] : '').split(', ').map((kv) => kv.split(': ')).map(([k, v]) => [k, Number(v)]));
      const pass = counts.pass ?? 0;
      const fail = m ? (counts.fail ?? 0) : 1;
      if (partial) track(partial);
      resolve({ label, pass, fail: code === 0 ? fail : Math.max(fail, 1), skip: counts.skip ?? 0, code, failures });
    });
  });
}

if (only.includes('browser') && fs.existsSync('test/browser')) ensureChromium();
const runs = [await runTap(`PGlite (embedded), Node ${process.version}`, { ACCORD_TEST_DB: 'pglite' })];
if (process.env.TEST_DATABASE_URL) {
  runs.push(await runTap(`PostgreSQL at ${new URL(process.env.TEST_DATABASE_URL).host}, Node ${process.version}`, { ACCORD_TEST_DB: 'postgres' }));
}
const passed = runs.reduce((n, r) => n + r.pass, 0);
const failed = runs.reduce((n, r) => n + r.fail, 0);
const skipped = runs.reduce((n, r) => n + r.skip, 0);
if (skipped) console.log(`\n${skipped} skipped (tests that apply to one database only)`);
// What failed, gathered here so that a long log's tail names it.
for (const r of runs) {
  if (r.code === 0 && r.fail === 0) continue;
  console.log(`\n# failed in ${r.label} (tap exit code ${r.code}):`);
  for (const f of r.failures) console.log(`#   not ok: ${f}`);
  if (r.failures.length === 0) console.log('#   no "not ok" line was printed: a test file ended early, or tap itself failed (see its output above)');
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(runs.every((r) => r.code === 0) && failed === 0 ? 0 : 1);
