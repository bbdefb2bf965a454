/** Who writes the Swift files: the banner names it, the CLI loads it (index.ts). */
export const SWIFT_GENERATOR = { generator: '@sync/swift', version: '0.1.0', target: 'swift' } as const;
