/** The runtime's version, sent in User-Agent. Kept in step with package.json by a unit test. */
export const VERSION = "0.1.0";
