/**
 * The swift-format rules that can be checked without a Swift toolchain (issue #19: the goldens,
 * the runtime and the test app must be swift-format-stable). Test-only. Checked:
 * - LineLength: no line over 100 columns, outside multi-line string literals (SQL constants),
 *   whose content swift-format leaves as it is;
 * - TrailingComma: no trailing comma before `]` on one line; a multi-line array or dictionary
 *   literal ends its last element with a comma (swift-format adds it);
 * - AlwaysUseLowerCamelCase: no declared name with an inner underscore (`self_`, `first_name`);
 *   reserved words are escaped with backticks instead.
 */
export interface FormatProblem {
  line: number;
  rule: 'LineLength' | 'TrailingComma' | 'AlwaysUseLowerCamelCase';
  text: string;
}

/** The line with string literal contents blanked (single-line literals only). */
function code(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/\/.*$/, '');
}

export function formatProblems(source: string): FormatProblem[] {
  const problems: FormatProblem[] = [];
  const lines = source.split('\n');
  let inMultiline = false;
  let previousCode = '';
  lines.forEach((line, i) => {
    const n = i + 1;
    if (inMultiline) {
      if (line.trim().startsWith('"""')) inMultiline = false;
      else return;
    }
    const stripped = code(line);
    if (/"""\s*$/.test(line) && !line.trim().startsWith('"""')) inMultiline = true;
    if ([...line].length > 100) problems.push({ line: n, rule: 'LineLength', text: line });
    if (/,\s*\]/.test(stripped)) problems.push({ line: n, rule: 'TrailingComma', text: line });
    const trimmed = stripped.trim();
    const prev = previousCode.trim();
    if (/^\][,)]?$/.test(trimmed) && prev !== '' && !prev.endsWith(',') && !prev.endsWith('[') && !prev.startsWith('///')) {
      problems.push({ line: n, rule: 'TrailingComma', text: `${previousCode}\n${line}` });
    }
    for (const m of stripped.matchAll(/\b(?:var|let|func|case)\s+([A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*)/g)) {
      problems.push({ line: n, rule: 'AlwaysUseLowerCamelCase', text: m[1]! });
    }
    for (const m of stripped.matchAll(/[(,]\s*(?:_\s+)?([a-z][A-Za-z0-9]*_[A-Za-z0-9_]*)\s*:\s*[A-Z[(]/g)) {
      problems.push({ line: n, rule: 'AlwaysUseLowerCamelCase', text: m[1]! });
    }
    if (trimmed !== '') previousCode = stripped;
  });
  return problems;
}
