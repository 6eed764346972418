// `npm start`: opens the bundled example Go workspace in a real VS Code with the extension
// loaded: a copy of test/fixtures/interp (a Go module with a real default.pgo and a benchmark),
// made a git repository with the profile committed (scripts/example.mjs), in a temporary folder.
// - VS Code desktop when `code` is on PATH (as a development extension);
// - otherwise code-server on 127.0.0.1 (installed on first use into .vscode-test/, like the
//   integration tests), printing the URL to open; Ctrl+C stops it.
// `npm start -- --cli` prints the example's hot call sites with the CLI instead.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleSource as example, prepareExample } from './example.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));

if (args.has('--cli')) {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'report', example], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const runDir = mkdtempSync(join(tmpdir(), 'pgo-lens-start-'));
const workspace = prepareExample(join(runDir, 'interp'));

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode && !args.has('--code-server')) {
  console.log(`Opening ${workspace} in VS Code with the extension from ${root}`);
  const r = spawnSync('code', ['--new-window', `--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
}

const { ensureTools } = await import('./integration/install.mjs');
const { packageExtension } = await import('./integration/vsix.mjs');
const { writeUserSettings } = await import('./integration/lib.mjs');
const tools = ensureTools();
const userDataDir = join(runDir, 'user-data');
const extensionsDir = join(runDir, 'extensions');
mkdirSync(extensionsDir, { recursive: true });
writeUserSettings(userDataDir);
// The demo, unlike the tests, shows everything: git in the Source Control view, and the compiler
// confirming the decisions in the background (the default).
const userSettings = join(userDataDir, 'User', 'settings.json');
const demo = JSON.parse(readFileSync(userSettings, 'utf8'));
delete demo['pgoLens.compiler.confirm'];
writeFileSync(userSettings, JSON.stringify({ ...demo, 'git.enabled': true, 'git.autoRepositoryDetection': true }, null, 2));
const vsix = await packageExtension(runDir);
// Nothing goes to $HOME: code-server's config (it writes one with a password when none is given)
// and VS Code's config, data and cache live in the run folder, deleted on exit. Go keeps its own
// build cache, so the extension's go commands stay fast.
const configFile = join(runDir, 'code-server.yaml');
writeFileSync(configFile, '# written by scripts/start.mjs\nauth: none\n');
const home = process.env.HOME ?? '/root';
const env = {
  ...process.env,
  GOCACHE: process.env.GOCACHE ?? join(process.env.XDG_CACHE_HOME ?? join(home, '.cache'), 'go-build'),
  XDG_CONFIG_HOME: join(runDir, 'xdg', 'config'),
  XDG_DATA_HOME: join(runDir, 'xdg', 'data'),
  XDG_CACHE_HOME: join(runDir, 'xdg', 'cache'),
};
const base = [tools.codeServer, '--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
const inst = spawnSync(tools.node, [...base, '--force', '--install-extension', vsix], { stdio: 'inherit', env });
if (inst.status !== 0) process.exit(inst.status ?? 1);

const port = process.env.PORT ?? '8080';
const cs = spawn(tools.node, [...base, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', workspace], {
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
  env,
});
let announced = false;
const onData = (d) => {
  const m = /HTTP server listening on (http:\/\/\S+?)\/?\s/.exec(String(d));
  if (m && !announced) {
    announced = true;
    console.log(`\nGo PGO Lens example: open ${m[1]}/?folder=${encodeURIComponent(workspace)}\n(Ctrl+C to stop)`);
  }
};
cs.stdout.on('data', onData);
cs.stderr.on('data', onData);
const stop = () => {
  try {
    process.kill(-cs.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(runDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
cs.on('exit', (code) => {
  rmSync(runDir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
