/** Splits a line into words, keeping double-quoted strings whole (`description "WAN link"`). */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  const re = /"(?:[^"\\]|\\.)*"|\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[0]);
  return words;
}
