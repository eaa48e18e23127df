// Node entry points bundled by esbuild into dist/ (one CJS file each). Native `cap` stays external.
export const entries = [
  { src: 'electron/cli/carpdeck.ts', out: 'dist/cli/carpdeck.cjs' },
  { src: 'electron/capture-helper/helper.ts', out: 'dist/capture-helper/helper.cjs' },
  // carpd's first statement, before any module allocates: V8 grows the young generation to 8 MB semi-spaces while
  // the bundle loads and gives the pages back only after the memory reducer runs, a 5 MB peak a daemon whose
  // steady state needs 1 MB does without (VmHWM 81 -> 76 MB with 16 vhids in bench:failover).
  {
    src: 'daemon/carpd.ts',
    out: 'dist/daemon/carpd.cjs',
    banner: "require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');",
  },
  { src: 'daemon/carpctl.ts', out: 'dist/daemon/carpctl.cjs' },
  { src: 'electron/main/main.ts', out: 'dist/electron/main.cjs', electron: true },
  { src: 'electron/preload/preload.ts', out: 'dist/electron/preload.cjs', electron: true },
];
