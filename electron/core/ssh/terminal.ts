// The SSH prompter for a terminal: asks on stderr, reads answers from stdin (secrets without echo). Without a
// terminal it behaves like a script: first-seen keys only with --yes, no keyboard-interactive.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { scriptPrompter, type SshPrompter } from './prompter.js';

export function ask(question: string, secret: boolean): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (secret) process.stderr.write('\n');
      resolve(answer);
    });
    muted = secret;
  });
}

export function terminalPrompter(acceptNewKeys: boolean): SshPrompter {
  const report = (line: string) => process.stderr.write(`carpdeck: ${line}\n`);
  if (acceptNewKeys || !process.stdin.isTTY) return scriptPrompter(acceptNewKeys, report);
  return {
    confirmHostKey: async (q) => {
      process.stderr.write(`The authenticity of host ${q.host}${q.port === 22 ? '' : ` port ${q.port}`} can't be established.\n${q.type} key fingerprint is ${q.fingerprint}.\nCompare it on the firewall's console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\n`);
      const a = await ask('Trust this key and continue connecting (yes/no)? ', false);
      return /^y(es)?$/i.test(a.trim());
    },
    password: async (label) => ask(`${label}'s password: `, true),
    keyboardInteractive: async (round) => {
      if (round.name) process.stderr.write(`${round.name}\n`);
      if (round.instructions) process.stderr.write(`${round.instructions}\n`);
      const answers: string[] = [];
      for (const p of round.prompts) answers.push(await ask(p.prompt, !p.echo));
      return answers;
    },
  };
}
