/** Options of `nx g @sync/kotlin:client` (mirrors schema.json). */
export interface ClientGeneratorSchema {
  spec: string;
  directory: string;
  package?: string;
  apiBaseUrl?: string;
  electricUrl?: string;
  databaseVersion?: number;
  clean?: boolean;
}
