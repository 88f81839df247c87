import sanitizeHtml from 'sanitize-html';
import { unprocessable } from '../../platform/errors.js';

/** Rich text a product description may use: text formatting, lists, tables, links and images. */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'h2', 'h3', 'h4', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'span', 'div',
    'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'img', 'figure', 'figcaption',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['https', 'http'],
  allowedSchemesByTag: { img: ['https', 'http'] },
  allowProtocolRelative: false,
  // Links leave the site in a new context, never with our window.opener.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};

const SCRIPT_TAGS = new Set(['script', 'iframe', 'object', 'embed', 'frame', 'frameset', 'applet', 'base', 'meta', 'svg', 'math']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'background', 'poster', 'data']);
const SCRIPT_URL = /^(javascript|vbscript|data:text\/html|livescript)/;

/** What makes a description unsafe rather than merely untidy: it tries to run code. */
export function findUnsafeHtml(html: string): string[] {
  const found = new Set<string>();
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    onOpenTag(name, attribs) {
      if (SCRIPT_TAGS.has(name.toLowerCase())) found.add(`<${name.toLowerCase()}>`);
      for (const [attr, value] of Object.entries(attribs)) {
        const lower = attr.toLowerCase();
        if (lower.startsWith('on')) found.add(`${lower} attribute`);
        // Entities are already decoded here; browsers ignore whitespace and control characters in schemes.
        // eslint-disable-next-line no-control-regex
        const scheme = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
        if ((URL_ATTRIBUTES.has(lower) || lower === 'style') && (SCRIPT_URL.test(scheme) || scheme.includes('javascript:'))) {
          found.add(`${lower.startsWith('style') ? 'style' : 'javascript:'} URL`);
        }
      }
    },
  });
  return [...found];
}

/**
 * Returns the description as stored: refused outright (422 `unsafe_html`) when it carries scripts,
 * event handlers or script URLs, otherwise cleaned down to the allow-list (unknown tags and styles
 * are dropped silently; they are formatting, not attacks).
 */
export function sanitizeDescription(html: string): string {
  const unsafe = findUnsafeHtml(html);
  if (unsafe.length > 0) {
    throw unprocessable('unsafe_html', 'The description contains scripts, event handlers or script URLs', { found: unsafe });
  }
  return sanitizeHtml(html, OPTIONS).trim();
}
