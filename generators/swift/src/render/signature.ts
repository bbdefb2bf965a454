/**
 * The layout of a method or initializer declaration's first line(s), shared by the builders:
 * on one line when it fits in swift-format's 100 columns, else one parameter per line.
 */
import { fitCall } from './layout.js';

/**
 * `public func name(params) effects {` at two spaces (`name` `init` gives `public init(…) {`);
 * `effects` is what follows the parameters (`async throws -> Contact`), or ''.
 */
export function signature(name: string, params: readonly string[], effects: string): string {
  return fitCall(name === 'init' ? 'public init' : `public func ${name}`, params, '  ', effects ? ` ${effects} {` : ' {');
}
