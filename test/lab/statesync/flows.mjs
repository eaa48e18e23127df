// Long-lived test flows for the state sync lab.
//   node flows.mjs server                 TCP echo on 5001 and 5002, UDP echo on 5003
//   node flows.mjs tcp|udp HOST PORT      sends a numbered line every 50 ms; prints "E seq ms" for every echo,
//                                         "X reason ms" when the flow breaks (reset, close, error)
//   node flows.mjs many HOST PORT N MS    N TCP flows, each sending every MS ms; prints "ready N" once all echoed,
//                                         and on SIGTERM one JSON line {flows: [{echoes: [ms...], error?}]}
//   node flows.mjs probe HOST PORT N MS   N new TCP flows, one every MS ms; prints "P localport ms" for each
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import process from 'node:process';
import { setInterval, setTimeout } from 'node:timers';

const [mode, host, port] = process.argv.slice(2);
const say = (line) => process.stdout.write(`${line} ${Date.now()}\n`);

if (mode === 'server') {
  for (const p of [5001, 5002]) {
    createServer((s) => {
      s.setNoDelay(true);
      s.on('error', () => s.destroy());
      s.pipe(s);
    }).listen(p);
  }
  const u = createSocket('udp4');
  u.on('message', (m, from) => u.send(m, from.port, from.address));
  u.bind(5003, () => process.stdout.write('listening\n'));
} else if (mode === 'tcp') {
  let seq = 0;
  let buf = '';
  const s = connect({ host, port: Number(port) }, () => {
    s.setNoDelay(true);
    say('C 0');
    setInterval(() => s.write(`${++seq}\n`), 50);
  });
  s.setEncoding('utf8');
  s.on('data', (d) => {
    buf += d;
    const lines = buf.split('\n');
    buf = lines.pop();
    for (const l of lines) say(`E ${l}`);
  });
  s.on('error', (e) => say(`X ${e.code ?? e.message}`));
  s.on('close', () => {
    say('X closed');
    process.exit(1);
  });
} else if (mode === 'udp') {
  let seq = 0;
  const u = createSocket('udp4');
  u.on('message', (m) => say(`E ${m.toString()}`));
  u.on('error', (e) => say(`X ${e.code ?? e.message}`));
  u.connect(Number(port), host, () => {
    say('C 0');
    setInterval(() => u.send(String(++seq)), 50);
  });
} else if (mode === 'many') {
  const [count, every] = [Number(process.argv[5]), Number(process.argv[6])];
  const flows = [];
  let echoed = 0;
  for (let i = 0; i < count; i++) {
    setTimeout(() => {
      const f = { echoes: [] };
      flows.push(f);
      const s = connect({ host, port: Number(port) }, () => {
        s.setNoDelay(true);
        setTimeout(() => setInterval(() => s.write('x\n'), every), Math.random() * every);
      });
      s.setEncoding('utf8');
      s.on('data', (d) => {
        const now = Date.now();
        for (let k = 0; k < d.length; k++) if (d[k] === '\n') f.echoes.push(now);
        if (f.echoes.length === 1 && ++echoed === count) process.stdout.write(`ready ${count}\n`);
      });
      s.on('error', (e) => (f.error ??= e.code ?? e.message));
      s.on('close', () => (f.error ??= 'closed'));
    }, i * 2);
  }
  process.on('SIGTERM', () => process.stdout.write(`${JSON.stringify({ flows })}\n`, () => process.exit(0)));
} else if (mode === 'probe') {
  const [count, every] = [Number(process.argv[5]), Number(process.argv[6])];
  const open = [];
  for (let i = 0; i < count; i++) {
    setTimeout(() => {
      const s = connect({ host, port: Number(port) }, () => say(`P ${s.localPort}`));
      s.on('error', () => undefined);
      open.push(s);
    }, i * every);
  }
} else {
  process.stderr.write('usage: flows.mjs server | tcp|udp HOST PORT | many|probe HOST PORT N MS\n');
  process.exit(2);
}
