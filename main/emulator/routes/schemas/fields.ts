import { z } from 'zod';

/** Upstream's urlSchema: both of its checks are reported (spaces, then parsability), as upstream reports them. */
export const urlField = z.string().superRefine((value, ctx) => {
  if (value.includes(' ')) ctx.addIssue({ code: 'custom', message: 'contains spaces' });
  try {
    new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a valid URL' });
  }
});
