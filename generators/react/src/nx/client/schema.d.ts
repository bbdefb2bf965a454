/** Options of `nx g @sync/react:client` (mirrors schema.json). */
export interface ClientGeneratorSchema {
  spec: string;
  directory: string;
  apiBaseUrl?: string;
  electricUrl?: string;
  dataDir?: string;
  clean?: boolean;
  skipFormat?: boolean;
}
