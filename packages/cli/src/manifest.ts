/**
 * The output manifest lives in the generator kit (@sync/codegen), so that the CLI's writer and the
 * Nx generators read and write it with one implementation. Re-exported here for the CLI's modules.
 */
export {
  InputReadError,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  buildManifest,
  canonicalJson,
  computeInputHash,
  manifestFromBytes,
  manifestHeader,
  parseManifest,
  readManifest,
  relativePosix,
  sameFiles,
  serializeManifest,
  sha256,
  sortKeysDeep,
  type HeaderInput,
  type InputHashParts,
  type Manifest,
  type ManifestHeader,
  type ManifestRead,
} from '@sync/codegen';
