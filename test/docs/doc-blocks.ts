// Reads the project's Markdown docs for the doc tests: fenced blocks by language (with file:line), and shell
// lines split into words the way sh would for the simple commands the docs show (quotes, backslashes,
// comments, `&&` / `;` lists). Anything fancier (pipes, redirections, substitutions) is reported, not guessed.
import fs from 'node:fs';
import path from 'node:path';

export interface Block { file: string; line: number; lang: string; lines: Array<{ line: number; text: string }> }

/** README.md, docs/*.md and docs/providers/*.md. */
export function docFiles(root = '.'): string[] {
  const md = (dir: string) => fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(dir, f));
  return ['README.md', ...md('docs'), ...md('docs/providers')];
}

export function fencedBlocks(file: string, root = '.'): Block[] {
  const blocks: Block[] = [];
  let open: Block | null = null;
  fs.readFileSync(path.join(root, file), 'utf8').split('\n').forEach((text, i) => {
    const fence = /^\s*```(?!`)\s*([\w-]*)\s*$/.exec(text);
    if (fence && !open) { open = { file, line: i + 1, lang: fence[1]!, lines: [] }; return; }
    if (/^\s*```\s*$/.test(text) && open) { blocks.push(open); open = null; return; }
    if (open) open.lines.push({ line: i + 1, text });
  });
  if (open) throw new Error(`${file}:${(open as Block).line}: unclosed code fence`);
  return blocks;
}

/** One shell line as commands (split on `&&` and `;`), each a list of words; comments dropped. */
export function shellCommands(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | null = null;
  const end = () => { if (word !== null) commands.at(-1)!.push(word); word = null; };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unclosed ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, close); i = close;
    } else if (c === '"') {
      let j = i + 1; let s = '';
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && '"\\$`'.includes(line[j + 1] ?? '')) s += line[++j];
        else if ('$`'.includes(line[j]!)) throw new Error(`substitution in a double-quoted word is not supported: ${line}`);
        else s += line[j];
      }
      if (j >= line.length) throw new Error(`unclosed " in: ${line}`);
      word = (word ?? '') + s; i = j;
    } else if (c === '\\') { word = (word ?? '') + (line[++i] ?? ''); }
    else if (c === '#' && word === null) break;
    else if (/\s/.test(c)) end();
    else if (c === ';' || (c === '&' && line[i + 1] === '&')) { end(); commands.push([]); if (c === '&') i++; }
    else if ('|<>&$`()'.includes(c)) throw new Error(`shell feature '${c}' is not supported by the doc test: ${line}`);
    else word = (word ?? '') + c;
  }
  end();
  return commands.filter((c) => c.length > 0);
}

/** The nhi-census arguments of a command as the docs write it (`nhi-census …`, `npx nhi-census …`, `node bin/nhi-census.js …`), else null. */
export function nhiCensusArgs(words: string[]): string[] | null {
  if (words[0] === 'nhi-census') return words.slice(1);
  if (words[0] === 'npx' && words[1] === 'nhi-census') return words.slice(2);
  if (words[0] === 'node' && /(^|\/)bin\/nhi-census\.js$/.test(words[1] ?? '')) return words.slice(2);
  return null;
}
