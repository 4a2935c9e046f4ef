// Copies the dockwise executable named by DOCKWISE_BIN into server/<platform>-<arch>/, where
// the extension looks for a bundled server. Without DOCKWISE_BIN nothing is bundled and the
// extension falls back to `dockwise.server.path` or PATH.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const exe = process.platform === 'win32' ? 'dockwise.exe' : 'dockwise';
const target = path.join(root, 'server', `${process.platform}-${process.arch}`);
const source = process.env.DOCKWISE_BIN;

// Always start clean, so a stale binary from an earlier build is never packaged.
fs.rmSync(path.join(root, 'server'), { recursive: true, force: true });
if (!source) {
  console.log('copy-server: DOCKWISE_BIN is not set: packaging without a bundled server');
  process.exit(0);
}
const from = path.resolve(source);
if (!fs.existsSync(from) || !fs.statSync(from).isFile()) {
  console.error(`copy-server: DOCKWISE_BIN=${source}: no such file`);
  process.exit(1);
}
fs.mkdirSync(target, { recursive: true });
const to = path.join(target, exe);
fs.copyFileSync(from, to);
fs.chmodSync(to, 0o755);
console.log(`copy-server: ${from} -> ${path.relative(root, to)} (${fs.statSync(to).size} bytes)`);
