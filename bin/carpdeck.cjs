#!/usr/bin/env node
require('./load.cjs')('cli/carpdeck.cjs');
