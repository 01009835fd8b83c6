// Whole-word matching over names and notes that providers hand us (hostile input: bounded, no regular expression built
// from it). A text is split into words at every character that is not a letter or digit, at lower-to-upper case changes
// ("ChatGPT" -> chat, gpt; "MCPServer" -> mcp, server) and between letters and digits ("gpt4" -> gpt, 4), so "agent" is
// found in "ci-agent" and "AgentToken" but never in "magenta", "management" or "reagent".

/** Longest text read (names and notes are short; anything longer is cut, never scanned whole). */
const MAX_TEXT = 2000;

/** The lower-case words of a text, in order. */
export function wordsOf(text: string): string[] {
  const out: string[] = [];
  for (const chunk of text.slice(0, MAX_TEXT).split(/[^\p{L}\p{N}]+/u)) {
    if (!chunk) continue;
    for (const m of chunk.matchAll(/\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|\p{L}+/gu)) out.push(m[0].toLowerCase());
  }
  return out;
}

/** Whether `phrase`'s words occur consecutively among `text`'s words ("Otter.ai" in "Otter.ai Notetaker", not in "Hotter AI"). */
export function containsPhrase(text: string, phrase: string): boolean {
  const want = wordsOf(phrase);
  if (!want.length) return false;
  const have = wordsOf(text);
  for (let i = 0; i + want.length <= have.length; i++) {
    if (want.every((w, j) => have[i + j] === w)) return true;
  }
  return false;
}

/** The first word of `list` (lower case, single words) found among `text`'s words, or null. */
export function firstWordIn(text: string, list: ReadonlySet<string>): string | null {
  for (const w of wordsOf(text)) if (list.has(w)) return w;
  return null;
}
