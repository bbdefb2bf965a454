/**
 * `.editorconfig` written next to the generated sources: the ktlint style the output is checked
 * against (ktlint_official, ktlint 1.8), with `max-line-length` off because spec text (string
 * literals, KDoc from descriptions, long paths) cannot be wrapped without changing it, and
 * `enum-entry-name-case` off because core's naming prefixes `_` to values that start with a digit.
 * The one file of the target that is not Kotlin: printed here (fixed text under the banner)
 * rather than by a `.kt.hbs` template.
 */
import type { EditorconfigView } from '../plan.js';

export function editorconfig(view: EditorconfigView): string {
  return [
    ...view.banner,
    '# root: the generated folder keeps its own style whatever the project around it uses.',
    'root = true',
    '',
    '[*.{kt,kts}]',
    'charset = utf-8',
    'end_of_line = lf',
    'indent_style = space',
    'indent_size = 4',
    'insert_final_newline = true',
    'ktlint_code_style = ktlint_official',
    'ktlint_standard_max-line-length = disabled',
    '# Enum entries for values starting with a digit are `_2FA`/`_100` (core naming: no identifier starts with a digit).',
    'ktlint_standard_enum-entry-name-case = disabled',
    '',
  ].join('\n');
}
