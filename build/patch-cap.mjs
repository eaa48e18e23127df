// Patches the `cap` libpcap binding so a capture whose device goes down or away reports it instead of aborting the
// whole process. Unpatched, cap 0.2.1 asserts `status == 0` in its poll callback (src/binding.cc), so
// `ip link set lan down` on a firewall would kill carpd (and the capture helper). Patched, the session stops
// polling and emits 'pollerror' (with libuv's status code); the caller closes it and reopens when the link is back.
// Runs from `npm ci` (prepare) after cap's own build, then rebuilds cap from the patched source.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const MARK = 'carpdeck patch: pollerror';
const require = createRequire(import.meta.url);
let capDir;
try {
  capDir = dirname(require.resolve('cap/package.json'));
} catch {
  console.warn('patch-cap: cap is not installed, nothing to patch');
  process.exit(0);
}
const source = join(capDir, 'src/binding.cc');
const built = join(capDir, 'build/Release/cap.node');
const stamp = join(capDir, 'build/Release/.carpdeck-patched');
let text = readFileSync(source, 'utf8');

if (!text.includes(MARK)) {
  const original = `    static void cb_packets(uv_poll_t* handle, int status, int events) {
      assert(status == 0);
      Pcap *obj = (Pcap*)handle->data;
`;
  if (!text.includes(original)) {
    console.error(`patch-cap: ${source} does not look like cap 0.2.1's binding; refusing to guess. Pin cap to 0.2.1.`);
    process.exit(1);
  }
  text = text.replace(
    original,
    `    static void cb_packets(uv_poll_t* handle, int status, int events) {
      Pcap *obj = (Pcap*)handle->data;
      if (status != 0) {
        // ${MARK}: the device went down or away; stop polling and tell JavaScript instead of aborting.
        uv_poll_stop(handle);
        if (!obj->closing) {
          Nan::HandleScope scope;
          Local<Value> argv[2] = { Nan::New<String>("pollerror").ToLocalChecked(), Nan::New<Number>(status) };
          obj->async_res.runInAsyncScope(Nan::New<Object>(obj->persistent()), Nan::New<Function>(obj->Emit), 2, argv);
        }
        return;
      }
`,
  );
  writeFileSync(source, text);
}

if (existsSync(built) && existsSync(stamp)) process.exit(0);
const r = spawnSync('npm', ['rebuild', 'cap', '--foreground-scripts'], { stdio: 'inherit', cwd: join(capDir, '../..') });
if (r.status !== 0 || !existsSync(built)) {
  console.error('patch-cap: rebuilding cap failed; libpcap headers are needed (apt-get install libpcap0.8-dev)');
  process.exit(1);
}
writeFileSync(stamp, `${MARK}\n`);
