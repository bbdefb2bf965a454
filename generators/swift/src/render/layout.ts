/**
 * Line fitting, the one place that decides how a line is laid out: swift-format's 100 columns.
 * Every builder in render/ uses it; translate/ never lays out a line.
 */

/** swift-format's default line length. */
export const LINE_LENGTH = 100;

/**
 * A call `name(arg, arg)` on one line when it fits in 100 columns at `indent`, else one
 * argument per line (swift-format's layout). `suffix` is what follows the call (`,`).
 */
export function fitCall(name: string, args: readonly string[], indent: string, suffix = ''): string {
  const one = `${name}(${args.join(', ')})${suffix}`;
  if (indent.length + one.length <= LINE_LENGTH) return one;
  return `${name}(\n${args.map((a) => `${indent}  ${a}`).join(',\n')}\n${indent})${suffix}`;
}
