/**
 * Text to search terms, the same way at indexing and at query time: NFKC (full-width → half-width),
 * lower case, Chinese segmented by jieba in search mode, runs of letters and digits split apart
 * (`iphone15` → `iphone 15`), English plurals folded to the singular. Positions follow jieba's
 * precise cut, so the parts of a compound (连衣裙 → 连衣, 衣裙, 连衣裙) share its position and a
 * phrase query still matches across them.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

const jieba = Jieba.withDict(dict);

/** Full-width to half-width, lower case, one space between words. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const HAN = /\p{Script=Han}/u;
const WORDISH = /[\p{L}\p{N}]/u;

/** `shoes` → `shoe`, `batteries` → `battery`, `watches` → `watch`; anything else is left as is. */
export function singular(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** A word of the precise cut and the search-mode parts it contains (itself included). */
export type Word = { text: string; parts: string[] };

/** Splits letter/digit runs: `iphone15pro` → [`iphone`, `15`, `pro`]. */
function splitAlnum(token: string): string[] {
  return token.match(/\p{L}+|\p{N}+/gu) ?? [];
}

/**
 * The words of a text in order. Each Chinese word of jieba's precise cut carries its search-mode
 * parts (shorter dictionary words inside it); each Latin run becomes its letter and digit pieces.
 */
export function words(text: string): Word[] {
  const normalized = normalizeText(text);
  if (!normalized) return [];
  const out: Word[] = [];
  for (const token of jieba.cut(normalized, true)) {
    if (!WORDISH.test(token)) continue;
    if (HAN.test(token)) {
      const parts = token.length > 2 ? jieba.cutForSearch(token, true).filter((p) => WORDISH.test(p)) : [token];
      out.push({ text: token, parts: [...new Set([...parts, token])] });
      continue;
    }
    for (const piece of splitAlnum(token)) {
      const term = singular(piece);
      out.push({ text: term, parts: [term] });
    }
  }
  return out;
}

/** Terms as PostgreSQL stores them in a tsvector literal: quoted, quotes and backslashes doubled. */
export function lexeme(term: string): string {
  return `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export type Weight = 'A' | 'B' | 'C' | 'D';

/**
 * A tsvector literal of weighted fields: `'苹果':1A '手机':2A …`. Fields are laid out one after
 * another with a gap of 10 positions, so a phrase never spans two fields. PostgreSQL keeps at most
 * 256 positions per lexeme and positions up to 16383; the text is cut well before that.
 */
export function tsvectorLiteral(fields: { text: string; weight: Weight }[]): string {
  const positions = new Map<string, Map<number, Weight>>();
  let position = 1;
  for (const field of fields) {
    for (const word of words(field.text).slice(0, 2000)) {
      if (position > 16_000) break;
      for (const part of word.parts) {
        if (part.length > 100) continue;
        let at = positions.get(part);
        if (!at) positions.set(part, (at = new Map()));
        // A higher weight (A over D) wins when a term is at one position twice.
        if (at.size < 200 && (!at.has(position) || at.get(position)! > field.weight)) at.set(position, field.weight);
      }
      position += 1;
    }
    position += 10;
  }
  return [...positions]
    .map(([term, at]) => `${lexeme(term)}:${[...at].map(([p, w]) => `${p}${w}`).join(',')}`)
    .join(' ');
}

/** Plain text of sanitized HTML: tags dropped, common entities decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a term is Latin letters and digits only (prefix matching and typo correction apply). */
export const isLatin = (term: string): boolean => /^[a-z0-9]+$/.test(term);
export const isLetters = (term: string): boolean => /^[a-z]+$/.test(term);

/** Damerau–Levenshtein distance (adjacent transpositions count once), capped at `max + 1`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return Math.min(rows[a.length]![b.length]!, max + 1);
}
