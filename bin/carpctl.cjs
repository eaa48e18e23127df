#!/usr/bin/env node
require('./load.cjs')('daemon/carpctl.cjs');
