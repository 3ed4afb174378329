/**
 * Below this share of the question's weighted content terms, the best passage is not an answer. Chosen on the
 * non-held-out questions of test/fixtures/ask-eval.ts; the held-out paraphrases check it generalises.
 */
export const RELEVANCE_THRESHOLD = 0.5;

/** The deterministic answer never exceeds this many characters (about a screenful in an editor's chat). */
export const MAX_ANSWER_CHARS = 4000;
