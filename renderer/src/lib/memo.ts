import { type FunctionComponent, memo } from 'react';

/**
 * Re-render only when the props' data changed. Live status arrives as fresh JSON objects ten times a second, so
 * identity says nothing; a panel whose numbers stayed the same should cost no render, layout or paint.
 */
export function memoByValue<P extends object>(component: FunctionComponent<P>) {
  return memo(component, (before, after) => JSON.stringify(before) === JSON.stringify(after));
}
