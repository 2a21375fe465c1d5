// Reads an Arrow IPC file or stream with apache-arrow (JS) and prints its schema and every value as
// canonical JSON (see arrow-canon.mjs). Usage: node arrow-read.mjs FILE
import { readFileSync } from 'node:fs';
import { RecordBatchReader } from 'apache-arrow';
import { describeBatches } from './arrow-canon.mjs';

const bytes = readFileSync(process.argv[2]);
const reader = RecordBatchReader.from(bytes).open();
// Iterating to the end closes (resets) the reader, so take the schema and format first.
const { schema } = reader;
const format = reader.isFile() ? 'file' : 'stream';
const batches = [];
for (const batch of reader) batches.push(batch);
const out = describeBatches(schema, batches);
out.format = format;
process.stdout.write(JSON.stringify(out));
