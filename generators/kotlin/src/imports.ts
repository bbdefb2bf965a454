/**
 * Import lists of generated files. ktlint's `no-unused-imports` and `no-wildcard-imports` rules
 * mean every file imports exactly what it uses, so translate functions record uses here while
 * mapping types. Sorted in ktlint_official's `import-ordering` layout (`*,java.**,javax.**,kotlin.**,^`).
 */
export class Imports {
  private readonly names = new Set<string>();

  constructor(private readonly ownPackage: string) {}

  /** Records `fq` (a fully qualified name) unless it lives in the file's own package. */
  add(fq: string): void {
    const pkg = fq.slice(0, fq.lastIndexOf('.'));
    if (pkg !== this.ownPackage) this.names.add(fq);
  }

  /** The import lines' names, in ktlint order. */
  list(): string[] {
    const rank = (n: string): number => (n.startsWith('java.') ? 1 : n.startsWith('javax.') ? 2 : n.startsWith('kotlin.') ? 3 : 0);
    return [...this.names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
}
