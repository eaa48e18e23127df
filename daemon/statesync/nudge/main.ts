// Entry for the lab and the benchmark: runs the retransmission nudge once in the current network namespace.
import { printNudge } from './cli.js';

void printNudge();
