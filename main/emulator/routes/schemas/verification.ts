import type { Context } from 'hono';
import { z } from 'zod';
import type { EmulatorEnv } from '../../wire/env.js';
import { json } from '../../wire/respond.js';

/** A verification code as every code-accepting endpoint takes it: 45 characters (OTP + nonce, or a link's code). */
export const codeField = z.string().length(45);

/** Upstream's bot-challenge fields, which flows that send mail accept (the emulator runs no challenge). */
export const botChallengeFields = {
  bot_challenge_token: z.string().optional(),
  bot_challenge_phase: z.string().optional(),
  bot_challenge_unavailable: z.literal('true').optional(),
};

/** The answer of every `…/check-code` endpoint: the code exists and may be used. */
export const codeIsValid = (c: Context<EmulatorEnv>) => json(c, { is_code_valid: true });
