import { readFileSync } from 'node:fs';
import path from 'node:path';

import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';

/**
 * Microsoft's validation schemas for custom connectors (JSON with comments, found by
 * test/helpers/prerequisites.ts), compiled with ajv: the Swagger one is draft-04, the apiProperties
 * one draft-07 with a draft-04 `id`.
 */
function readJsonc(dir: string, file: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const value = parseJsonc(readFileSync(path.join(dir, file), 'utf8'), errors, { allowTrailingComma: true }) as Record<string, unknown>;
  if (errors.length > 0) throw new Error(`${file}: ${errors.length} JSONC parse errors`);
  return value;
}

export function swaggerValidator(dir: string): (doc: unknown) => string[] {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  addFormats.default(ajv as unknown as Ajv);
  const validate = ajv.compile(readJsonc(dir, 'apiDefinition.swagger.schema.json'));
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
}

export function apiPropertiesValidator(dir: string): (doc: unknown) => string[] {
  const schema = readJsonc(dir, 'paconn-apiProperties.schema.json');
  const { id, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile({ ...rest, $id: String(id) });
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
}

/** @apidevtools/swagger-parser: an independent Swagger 2.0 validator (schema and semantics). */
export async function swaggerParserProblems(doc: unknown): Promise<string[]> {
  try {
    await SwaggerParser.validate(structuredClone(doc) as never);
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}
