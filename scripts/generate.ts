import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { packageRoot } from '../src/package-info.js';
import { reportSchema } from '../src/report/schema.js';

/** Writes the generated artifacts; the tests fail when a checked-in copy differs from what the code generates. */
export function generatedFiles(): Record<string, string> {
  return { 'schema/report.schema.json': `${JSON.stringify(reportSchema, null, 2)}\n` };
}

if (require.main === module) {
  const root = packageRoot();
  for (const [file, text] of Object.entries(generatedFiles())) {
    writeFileSync(path.join(root, file), text);
    console.log(`wrote ${file}`);
  }
}
