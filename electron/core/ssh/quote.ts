// OpenSSH runs every command through the remote user's shell, so a fixed argv is sent as one string with each word
// single-quoted: nothing inside reaches the shell as syntax.

export function quoteWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('quoteArgv: empty command');
  return argv.map(quoteWord).join(' ');
}
