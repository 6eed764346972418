/**
 * The worker's payoff jobs (issue #17): trim, evaluate and hide edges. They run go commands
 * and write profiles, so they live in the worker; the editor only shows their results.
 */
import { evaluate } from '../evaluate/evaluate';
import { excludeFromProfile } from '../evaluate/exclude-file';
import { formatEvaluate } from '../evaluate/report';
import { describeTrim, trimProfileFile } from '../evaluate/trim';
import { writeFileSafe } from '../platform/safe-write';
import { UserError } from './errors';
import type { JobArgs, JobEvent, JobResult } from './protocol';

type Emit<J extends 'trim' | 'evaluate' | 'excludeEdges'> = (e: JobEvent<J>) => void;

const cancelled = (): UserError => new UserError('cancelled; nothing was written', undefined, 'cancelled');

export async function trimJob(args: JobArgs<'trim'>, emit: Emit<'trim'>, signal: AbortSignal): Promise<JobResult<'trim'>> {
  emit({ message: `trimming ${args.profile}` });
  const r = await trimProfileFile(args.profile, args.mode);
  if (signal.aborted) throw cancelled();
  let backup: string | null = null;
  if (args.write) {
    await writeFileSafe(args.profile, r.bytes, { backup: true });
    backup = `${args.profile}.bak`;
  }
  return { inputBytes: r.inputBytes, outputBytes: r.bytes.length, ratio: r.ratio, description: describeTrim(r), backup };
}

export async function evaluateJob(args: JobArgs<'evaluate'>, emit: Emit<'evaluate'>, signal: AbortSignal): Promise<JobResult<'evaluate'>> {
  const result = await evaluate({ ...args, signal, onStep: (message) => emit({ message }) });
  if (signal.aborted) throw cancelled();
  return { result, text: formatEvaluate(result, (f) => f, 'the notification offers it') };
}

export async function excludeEdgesJob(args: JobArgs<'excludeEdges'>, emit: Emit<'excludeEdges'>, signal: AbortSignal): Promise<JobResult<'excludeEdges'>> {
  emit({ message: `hiding ${args.edges.length} edge(s) from ${args.profile}` });
  const x = await excludeFromProfile(args.profile, args.edges);
  if (signal.aborted) throw cancelled();
  await writeFileSafe(args.profile, x.bytes, { backup: true });
  return { samplesDropped: x.stats.samplesDropped, weightBefore: x.weightBefore, weightAfter: x.weightAfter, backup: `${args.profile}.bak` };
}
