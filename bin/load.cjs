// Loads a bundled entry from dist/, or explains how to build it.
const path = require('node:path');
const fs = require('node:fs');
module.exports = (rel) => {
  const file = path.join(__dirname, '..', 'dist', rel);
  if (!fs.existsSync(file)) {
    process.stderr.write(`carpdeck: ${rel} is not built yet. Run "npm run build" in ${path.join(__dirname, '..')}.\n`);
    process.exit(2);
  }
  require(file);
};
