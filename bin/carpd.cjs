#!/usr/bin/env node
require('./load.cjs')('daemon/carpd.cjs');
