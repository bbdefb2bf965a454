/**
 * `sync-patterns.config.yaml`: optional project defaults for `generate`.
 *
 * ```yaml
 * spec: ./openapi.yaml
 * targets:
 *   react:  { out: ./web/src/generated, apiBaseUrl: http://localhost:4100, electricUrl: http://localhost:4100/v1/shape }
 *   swift:  { out: ./ios/Generated }
 *   kotlin: { out: ./android/app/src/main/kotlin/generated, package: com.example.sync }
 * ```
 *
 * Paths are relative to the config file. Unknown keys and wrong types are usage errors that name
 * the key with its line and column. The `yaml` package is imported only when a config file exists.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LineCounter, Node as YamlNode, Pair } from 'yaml';
import { UsageError } from './errors.js';

export const CONFIG_FILE_NAME = 'sync-patterns.config.yaml';

export interface TargetConfig {
  /** Absolute output folder, when given. */
  out?: string;
  /** Generator options (every key except `out`), passed to the generator as is. */
  options: Record<string, unknown>;
}

export interface ProjectConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Absolute spec path, when given. */
  spec?: string;
  targets: Record<string, TargetConfig>;
}

type ValueKind = 'path' | 'string' | 'url' | 'java-package' | 'positive-int';

const COMMON_TARGET_KEYS: Readonly<Record<string, ValueKind>> = {
  out: 'path',
  apiBaseUrl: 'url',
  electricUrl: 'url',
};

/** Keys each target accepts; a target not listed here accepts {@link COMMON_TARGET_KEYS}. */
export const TARGET_CONFIG_KEYS: Readonly<Record<string, Readonly<Record<string, ValueKind>>>> = {
  react: COMMON_TARGET_KEYS,
  swift: COMMON_TARGET_KEYS,
  kotlin: { ...COMMON_TARGET_KEYS, package: 'java-package', databaseVersion: 'positive-int' },
};

export interface LoadConfigOptions {
  cwd: string;
  /** `--config`: must exist. Without it, `<cwd>/sync-patterns.config.yaml` is used if present. */
  explicitPath?: string;
  /** Target names allowed under `targets`. */
  knownTargets: readonly string[];
}

/** Reads and validates the config; null when there is none. Throws {@link UsageError}. */
export async function loadConfig(options: LoadConfigOptions): Promise<ProjectConfig | null> {
  const file = path.resolve(options.cwd, options.explicitPath ?? CONFIG_FILE_NAME);
  const display = displayPath(options.cwd, file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options.explicitPath === undefined && code === 'ENOENT') return null;
    throw new UsageError(
      code === 'ENOENT'
        ? `config file not found: ${display}`
        : `cannot read config file ${display}: ${(error as Error).message}`,
    );
  }
  return parseConfig(text, { file, display, knownTargets: options.knownTargets });
}

function displayPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Validates config text. `file` is absolute (paths resolve against its folder); `display` is shown in errors. */
export async function parseConfig(
  text: string,
  where: { file: string; display?: string; knownTargets: readonly string[] },
): Promise<ProjectConfig> {
  const yaml = await import('yaml');
  const display = where.display ?? where.file;
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const at = firstError.linePos?.[0] ?? lineCounter.linePos(firstError.pos[0]);
    throw new UsageError(
      `${display}:${at.line}:${at.col}: invalid YAML: ${firstError.message.split('\n')[0]}`,
    );
  }
  const base = path.dirname(where.file);
  const config: ProjectConfig = { file: where.file, targets: {} };
  const fail = (node: YamlNode | null | undefined, message: string): never => {
    const offset = node?.range?.[0];
    const at =
      offset === undefined
        ? ''
        : (() => {
            const pos = (lineCounter as LineCounter).linePos(offset);
            return `:${pos.line}:${pos.col}`;
          })();
    throw new UsageError(`${display}${at}: ${message}`);
  };

  const root = doc.contents;
  if (root === null || (yaml.isScalar(root) && (root.value === null || root.value === '')))
    return config;
  if (!yaml.isMap(root))
    return fail(root, 'the config must be a mapping with `spec` and `targets`');

  const keyName = (pair: Pair): { name: string; node: YamlNode | null } => {
    const key = pair.key;
    if (yaml.isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number')) {
      return { name: String(key.value), node: key };
    }
    return fail(yaml.isNode(key) ? key : null, 'keys must be plain names');
  };

  const stringValue = (pair: Pair, label: string, kind: ValueKind): string => {
    const value = pair.value;
    const node = yaml.isNode(value) ? value : null;
    if (!yaml.isScalar(value) || typeof value.value !== 'string' || value.value === '') {
      return fail(
        node ?? (yaml.isNode(pair.key) ? pair.key : null),
        `${label} must be a non-empty string`,
      );
    }
    const s = value.value;
    if (kind === 'url' && !/^(https?:\/\/|\/)/.test(s)) {
      return fail(
        node,
        `${label} must be an http(s) URL or an absolute path (got ${JSON.stringify(s)})`,
      );
    }
    if (kind === 'java-package' && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(s)) {
      return fail(
        node,
        `${label} must be a Java/Kotlin package name such as com.example.sync (got ${JSON.stringify(s)})`,
      );
    }
    return s;
  };

  const intValue = (pair: Pair, label: string): number => {
    const value = pair.value;
    if (
      !yaml.isScalar(value) ||
      typeof value.value !== 'number' ||
      !Number.isInteger(value.value) ||
      value.value < 1
    ) {
      return fail(
        yaml.isNode(value) ? value : yaml.isNode(pair.key) ? pair.key : null,
        `${label} must be a whole number ≥ 1 (the Room database version; raise it when the schema changes)`,
      );
    }
    return value.value;
  };

  for (const pair of root.items) {
    const { name, node } = keyName(pair);
    if (name === 'spec') {
      config.spec = path.resolve(base, stringValue(pair, 'spec', 'path'));
    } else if (name === 'targets') {
      const targets = pair.value;
      if (targets === null || (yaml.isScalar(targets) && targets.value === null)) continue;
      if (!yaml.isMap(targets))
        return fail(
          yaml.isNode(targets) ? targets : node,
          '`targets` must be a mapping of target name → options',
        );
      for (const targetPair of targets.items) {
        const { name: target, node: targetNode } = keyName(targetPair);
        if (!where.knownTargets.includes(target)) {
          return fail(
            targetNode,
            `unknown target "${target}" under targets (expected ${where.knownTargets.join(', ')})`,
          );
        }
        const allowed = TARGET_CONFIG_KEYS[target] ?? COMMON_TARGET_KEYS;
        const entry: TargetConfig = { options: {} };
        const body = targetPair.value;
        if (body !== null && !(yaml.isScalar(body) && body.value === null)) {
          if (!yaml.isMap(body))
            return fail(
              yaml.isNode(body) ? body : targetNode,
              `targets.${target} must be a mapping`,
            );
          for (const optionPair of body.items) {
            const { name: key, node: keyNode } = keyName(optionPair);
            const kind = allowed[key];
            if (kind === undefined) {
              return fail(
                keyNode,
                `unknown key "${key}" in targets.${target} (allowed: ${Object.keys(allowed).join(', ')})`,
              );
            }
            if (kind === 'positive-int') {
              entry.options[key] = intValue(optionPair, `targets.${target}.${key}`);
              continue;
            }
            const value = stringValue(optionPair, `targets.${target}.${key}`, kind);
            if (key === 'out') entry.out = path.resolve(base, value);
            else entry.options[key] = value;
          }
        }
        config.targets[target] = entry;
      }
    } else {
      return fail(node, `unknown key "${name}" (allowed: spec, targets)`);
    }
  }
  return config;
}
