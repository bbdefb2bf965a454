/**
 * The output manifest lives in the generator kit (@sync/codegen), so that the CLI's writer and the
 * Nx generators read and write it with one implementation. Re-exported here for the CLI's modules.
 */
export {
  MANIFEST_FILE,
  MANIFEST_VERSION,
  buildManifest,
  canonicalJson,
  computeInputHash,
  manifestFromBytes,
  parseManifest,
  readManifest,
  relativePosix,
  sameFiles,
  serializeManifest,
  sha256,
  sortKeysDeep,
  type InputHashParts,
  type Manifest,
  type ManifestHeader,
  type ManifestRead,
} from '@sync/codegen';
