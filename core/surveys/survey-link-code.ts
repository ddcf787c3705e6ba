import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when read off a phone (no 0/O, 1/l/I). */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const LENGTH = 8;

/** The shape of a survey link code, for routes that take one. */
export const SURVEY_LINK_CODE = /^[a-km-zA-HJ-NP-Z2-9]{8}$/;

/**
 * A new survey's link code: the short personal part of its answer page (`/s/<code>`), sent by
 * SMS. 8 characters of 56 (about 10^14 codes), random, so codes cannot be guessed from one another.
 */
export function newSurveyLinkCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}
