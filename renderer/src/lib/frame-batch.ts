/**
 * Collects values pushed at any rate and hands them over at most once per animation frame, so a stream of
 * live events (10 status updates a second, bursts of traffic) costs one store update and one render per frame.
 */
export function frameBatcher<T>(flush: (batch: T[]) => void): (value: T) => void {
  let pending: T[] = [];
  let scheduled = false;
  const run = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length > 0) flush(batch);
  };
  return (value) => {
    pending.push(value);
    if (scheduled) return;
    scheduled = true;
    // A hidden page gets no frames; a timer keeps the data current for when it is shown again.
    if (document.visibilityState === 'hidden') setTimeout(run, 250);
    else requestAnimationFrame(run);
  };
}
