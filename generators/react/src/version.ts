/** The version of @sync/react written into every banner (keep equal to package.json). */
export const GENERATOR_VERSION = '0.1.0';
