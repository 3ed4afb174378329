import { z } from 'zod';
import { isSystemPermission } from '../../domain/permissions/index.js';
import { knownError } from '../../errors/index.js';
import type { RequestAuth } from '../../wire/env.js';
import { BARE_MESSAGE } from '../../wire/validate.js';

/** Upstream's urlSchema: both of its checks are reported (spaces, then parsability), as upstream reports them. */
export const urlField = z.string().superRefine((value, ctx) => {
  if (value.includes(' ')) ctx.addIssue({ code: 'custom', message: 'contains spaces' });
  try {
    new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a valid URL' });
  }
});

/** A user id, or `me` for the request's own user (upstream's userIdOrMeSchema). */
export const userIdOrMe = z.union([z.literal('me'), z.uuid()]);

/**
 * `me` as the request's user, as upstream resolves it while validating (so before any other check):
 * CANNOT_GET_OWN_USER_WITHOUT_USER when the request has none.
 */
export function resolveMe<T extends string | undefined>(auth: RequestAuth, value: T): T | string {
  if (value !== 'me') return value;
  if (!auth.user) throw knownError('CANNOT_GET_OWN_USER_WITHOUT_USER');
  return auth.user.id;
}

/** Upstream's permissionDefinitionIdSchema: a custom id, or one of the system permissions (`$…`). */
export const permissionIdField = z.string().superRefine((value, ctx) => {
  if (!/^\$?[a-z0-9_:]+$/.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'Only lowercase letters, numbers, ":", "_" and optional "$" at the beginning are allowed',
      params: BARE_MESSAGE,
    });
  }
  if (value.startsWith('$') && !isSystemPermission(value)) {
    ctx.addIssue({ code: 'custom', message: 'Invalid system permission', params: BARE_MESSAGE });
  }
});

/** Upstream's customPermissionDefinitionIdSchema: what a definition may be called (never `$…`). */
export const customPermissionIdField = z.string().superRefine((value, ctx) => {
  if (!/^[a-z0-9_:]+$/.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'Only lowercase letters, numbers, ":", "_" are allowed',
      params: BARE_MESSAGE,
    });
  }
});

/** Upstream's image fields: a URL (http(s) or data) of at most 1,000,000 characters. */
export const imageUrlField = urlField.pipe(z.string().max(1_000_000));
