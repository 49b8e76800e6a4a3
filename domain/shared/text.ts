/** Free text people type (names): one line of plain text, so nothing that shows it (a mail, a log line) can be shaped by it. */
import { Schema } from "effect";

// C0/C1 controls (CR, LF, tab, NUL, ESC…), the line and paragraph separators, and the bidi overrides and isolates.
const notPlain = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** True when `text` holds no control character, line break or direction override. */
export const isPlainLine = (text: string): boolean => !notPlain.test(text);

/** `text` made one line of plain text: breaks and controls become spaces, runs of spaces one, cut to `maxLength`. */
export const toPlainLine = (text: string, maxLength: number, fallback: string): string =>
  text.replace(new RegExp(notPlain.source, "gu"), " ").replace(/\s+/gu, " ").trim().slice(0, maxLength).trim() || fallback;

/** One trimmed line of 1 to `maxLength` characters of plain text. */
export const PlainLine = (maxLength: number) =>
  Schema.String.pipe(
    Schema.trimmed(),
    Schema.minLength(1),
    Schema.maxLength(maxLength),
    Schema.filter(isPlainLine, { message: () => "Must be one line of plain text (no line breaks or control characters).", description: `one line of plain text, 1 to ${maxLength} characters, trimmed`, title: "PlainLine", jsonSchema: { pattern: "^[^\\p{Cc}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]*$" } }),
  );
