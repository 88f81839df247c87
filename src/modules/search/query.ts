/**
 * A shopper's query → tsquery texts. Pure: the words come from text.ts, the term lookups
 * (does the index know this term, what is it closest to) are answered by the caller.
 *
 *   strict   every word, each as itself or its corrected / prefix-expanded forms      (AND)
 *   title    the same, restricted to title terms (weight A)
 *   phrase   the words adjacent and in order                                          (<->)
 *   loose    any word                                                                (OR)
 */
import { editDistance, isLatin, isLetters, lexeme, normalizeText, type Word, words } from './text.js';

/** How one word of the query is matched. */
export type ResolvedWord = {
  text: string;
  /** Lexemes that stand for it: itself, its correction, or a prefix (`iph` → `iph:*`). */
  alternatives: { term: string; prefix: boolean }[];
  /** The word after correction, when it was corrected. */
  correctedTo?: string;
};

export type TermFacts = {
  /** Terms the index holds. */
  known: ReadonlySet<string>;
  /** Latin terms the index holds that start with the word (non-empty means a prefix match works). */
  withPrefix: ReadonlyMap<string, boolean>;
  /** Nearest indexed terms by trigram distance, for words the index does not know. */
  nearest: ReadonlyMap<string, { term: string; docs: number }[]>;
};

/** Words that need a lookup: everything; Latin words that are unknown also need prefix and nearest checks. */
export function queryWords(q: string): Word[] {
  return words(q).slice(0, 12);
}

/** The closest known term within the edit distance a word of its length tolerates. */
export function correction(word: string, candidates: readonly { term: string; docs: number }[]): string | undefined {
  const allowed = word.length <= 4 ? 1 : 2;
  let best: { term: string; docs: number; distance: number } | undefined;
  for (const c of candidates) {
    if (c.term === word || !isLatin(c.term)) continue;
    const distance = editDistance(word, c.term, allowed);
    if (distance > allowed) continue;
    if (!best || distance < best.distance || (distance === best.distance && c.docs > best.docs)) best = { ...c, distance };
  }
  return best?.term;
}

export function resolveWords(list: readonly Word[], facts: TermFacts): ResolvedWord[] {
  return list.map((word) => {
    const alternatives = new Map<string, boolean>();
    const add = (term: string, prefix: boolean) => alternatives.set(term, (alternatives.get(term) ?? false) || prefix);
    if (facts.known.has(word.text) || !isLatin(word.text)) {
      add(word.text, false);
      return { text: word.text, alternatives: [...alternatives].map(([term, prefix]) => ({ term, prefix })) };
    }
    // An unknown Latin word: a partial word (`headph`) or a typo (`iphnoe`).
    if (isLetters(word.text) && word.text.length >= 2 && facts.withPrefix.get(word.text)) add(word.text, true);
    const corrected = isLetters(word.text) && word.text.length >= 3 ? correction(word.text, facts.nearest.get(word.text) ?? []) : undefined;
    if (corrected) add(corrected, false);
    if (alternatives.size === 0) add(word.text, false);
    return {
      text: word.text,
      alternatives: [...alternatives].map(([term, prefix]) => ({ term, prefix })),
      ...(corrected && !facts.withPrefix.get(word.text) ? { correctedTo: corrected } : {}),
    };
  });
}

const one = (a: { term: string; prefix: boolean }, weight = '') => `${lexeme(a.term)}${a.prefix || weight ? ':' : ''}${a.prefix ? '*' : ''}${weight}`;
const group = (w: ResolvedWord, weight = '') => {
  const parts = w.alternatives.map((a) => one(a, weight));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' | ')})`;
};

export type QueryTexts = { strict: string; title: string; phrase: string | null; loose: string; words: string[]; perWord: string[] };

export function queryTexts(resolved: readonly ResolvedWord[]): QueryTexts | undefined {
  if (resolved.length === 0) return undefined;
  return {
    strict: resolved.map((w) => group(w)).join(' & '),
    title: resolved.map((w) => group(w, 'A')).join(' & '),
    phrase: resolved.length > 1 ? resolved.map((w) => group(w)).join(' <-> ') : null,
    loose: resolved.map((w) => group(w)).join(' | '),
    words: resolved.map((w) => w.text),
    perWord: resolved.map((w) => group(w)),
  };
}

/** The query as the shopper meant it, when a word was corrected: `iphnoe case` → `iphone case`. */
export function correctedQuery(resolved: readonly ResolvedWord[]): string | null {
  if (!resolved.some((w) => w.correctedTo)) return null;
  return resolved.map((w) => w.correctedTo ?? w.text).join(' ');
}

/** Terms to highlight in titles: the words and their corrections (prefixes highlight as typed). */
export function highlightTerms(resolved: readonly ResolvedWord[]): string[] {
  return [...new Set(resolved.flatMap((w) => [w.text, ...w.alternatives.map((a) => a.term)]))].filter((t) => t.length > 0);
}

/**
 * Where the terms occur in a title, as `[start, end)` ranges, merged. Matching is on the lower-case
 * title; an English singular also highlights its plural (`case` in `Cases`).
 */
export function highlightRanges(title: string, terms: readonly string[]): [number, number][] {
  const lower = title.toLowerCase();
  const normalizedSameLength = normalizeText(title).length === title.length ? normalizeText(title) : lower;
  const ranges: [number, number][] = [];
  for (const term of terms) {
    if (!term) continue;
    for (let at = normalizedSameLength.indexOf(term); at >= 0; at = normalizedSameLength.indexOf(term, at + term.length)) ranges.push([at, at + term.length]);
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
