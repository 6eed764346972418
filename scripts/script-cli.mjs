// The command line of the scripts that regenerate Go outputs (scripts/fixtures.mjs, scripts/corpus.mjs):
// argument parsing, `--duration` validation, and how a failure ends the script (`<script>: message`, exit 1).
import { ScriptError } from './go-outputs.mjs';

/** Prints `<script>: msg` on stderr and exits with status 1. */
export function fail(script, msg) {
  console.error(`${script}: ${msg}`);
  process.exit(1);
}

/**
 * Parses `argv` against `spec`: a flag mapped to a string takes the next argument as that option's
 * value; a flag mapped to an object is a switch that assigns the object's entries. `-h`/`--help`
 * prints `usage: node scripts/<script>.mjs <usage>` and exits 0; an unknown argument, a flag
 * without its value or a `duration` option that is not a Go-style duration (`4s`, `500ms`, `1.5m`) fails.
 */
export function parseScriptArgs(script, argv, { usage, defaults, spec }) {
  const opts = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      console.log(`usage: node scripts/${script}.mjs ${usage}`);
      process.exit(0);
    }
    const s = Object.hasOwn(spec, a) ? spec[a] : undefined;
    if (s === undefined) fail(script, `unknown argument ${a}`);
    if (typeof s === 'string') {
      if (i + 1 >= argv.length) fail(script, `${a} needs a value`);
      opts[s] = argv[++i];
    } else Object.assign(opts, s);
  }
  if ('duration' in opts && !/^\d+(\.\d+)?(ms|s|m)$/.test(opts.duration ?? '')) fail(script, `bad --duration ${opts.duration}`);
  return opts;
}

/** Runs `main`; a ScriptError ends the script through `fail` (other errors propagate with their stack). */
export function runScript(script, main) {
  try {
    main();
  } catch (e) {
    if (e instanceof ScriptError) fail(script, e.message);
    throw e;
  }
}
