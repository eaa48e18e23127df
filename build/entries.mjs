// Node entry points bundled by esbuild into dist/ (one CJS file each). Native `cap` stays external.
export const entries = [
  { src: 'electron/cli/carpdeck.ts', out: 'dist/cli/carpdeck.cjs' },
  { src: 'electron/capture-helper/helper.ts', out: 'dist/capture-helper/helper.cjs' },
  { src: 'daemon/carpd.ts', out: 'dist/daemon/carpd.cjs' },
  { src: 'daemon/carpctl.ts', out: 'dist/daemon/carpctl.cjs' },
  { src: 'electron/main/main.ts', out: 'dist/electron/main.cjs', electron: true },
  { src: 'electron/preload/preload.ts', out: 'dist/electron/preload.cjs', electron: true },
];
