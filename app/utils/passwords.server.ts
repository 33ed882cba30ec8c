import { randomInt } from "node:crypto";

// no 0/O, 1/l/I: a temporary password is read out or copied by hand
const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A temporary password for a new or reset account; it must be changed at first sign-in. */
export function generateTemporaryPassword(length = 14) {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}
