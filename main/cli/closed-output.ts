/**
 * A reader that goes away (`hexclave-companion ids --json | head -c 10`) closes our stdout: the next write fails
 * with EPIPE. That is not an error of the command, so it ends quietly: a short command exits with the code it
 * already had (0 unless it set one); a long-running one (it listens for SIGTERM) gets SIGTERM, so it shuts its
 * servers and Postgres down exactly as when a supervisor stops it.
 */
export function endQuietlyOnClosedOutput(): void {
  let ending = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    if (ending) return;
    ending = true;
    if (process.listenerCount('SIGTERM') > 0) process.kill(process.pid, 'SIGTERM');
    else process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  };
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
}
