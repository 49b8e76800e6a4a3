/** Bounds a JSON text's nesting before it is parsed, so nothing after it (decoding, error formatting) recurses deep. */

/** Arrays and objects may nest this deep in a body; the deepest route schema needs 3. */
export const maxJsonDepth = 32;

/** True when arrays and objects in `text` nest deeper than `max`: one pass over the text, strings skipped. */
export const nestsDeeperThan = (text: string, max: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
};
