/** carpd's version as its beacon announces it; kept equal to package.json's (a unit test checks). */
export const CARPD_VERSION = '0.1.0';
