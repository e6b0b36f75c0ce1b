/** The version `ctt --version` prints and the tracker reports in its status. */
export const VERSION = '0.1.0';
