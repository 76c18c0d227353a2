/**
 * Text in the speedup chart: names made safe for XML, and widths estimated without a font engine.
 * Labels are set in a monospace font, so a width is a count of characters; wide scripts and emoji
 * (drawn from fallback fonts) count double and more, so estimates err on the wide side and the
 * layout leaves room rather than letting labels collide.
 */

/** Width of one character of the monospace label font, in ems (DejaVu Sans Mono, Menlo: 0.60). */
const NARROW_EM = 0.62;
/** Width of a character outside Latin, Greek, Cyrillic and Armenian, which fallback fonts draw wider. */
const WIDE_EM = 1.3;
const LAST_NARROW_CODE_POINT = 0x052f;

/** The XML 1.0 Char production: anything else is not allowed in a document, even escaped. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` as XML character data or a quoted attribute value; characters XML cannot carry become U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** The drawn width of `text` in the label font at `fontSize`, rounded up. */
export function textWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const ch of text) ems += ch.codePointAt(0)! <= LAST_NARROW_CODE_POINT ? NARROW_EM : WIDE_EM;
  return Math.ceil(ems * fontSize);
}

/** `text` cut to at most `max` characters, the last being an ellipsis when cut (the full name goes in a tooltip). */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
