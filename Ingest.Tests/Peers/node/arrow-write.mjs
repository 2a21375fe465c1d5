// Writes Arrow IPC with apache-arrow (JS) for our reader: OUTDIR/js.arrow (file), OUTDIR/js.arrows (stream)
// and OUTDIR/js.expected.json (canonical values from the in-memory batches). Usage: node arrow-write.mjs OUTDIR
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Bool, Binary, DateDay, DateMillisecond, Dictionary, Field, FixedSizeBinary, FixedSizeList, Float32, Float64,
  Int8, Int16, Int32, Int64, List, Null, RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter, Schema, Struct,
  TimeMillisecond, TimeNanosecond, TimestampMicrosecond, TimestampNanosecond, TimestampSecond, Uint8, Uint16, Uint32,
  Uint64, Utf8, makeData, vectorFromArray,
} from 'apache-arrow';
import { describeBatches } from './arrow-canon.mjs';

const out = process.argv[2];
const utf8Dictionary = new Dictionary(new Utf8(), new Int32(), 0);
const fields = [
  new Field('i8', new Int8(), true),
  new Field('i16', new Int16(), true),
  new Field('i32', new Int32(), false, new Map([['unit', 'bpm']])),
  new Field('i64', new Int64(), true),
  new Field('u8', new Uint8(), true),
  new Field('u16', new Uint16(), true),
  new Field('u32', new Uint32(), true),
  new Field('u64', new Uint64(), true),
  new Field('f32', new Float32(), true),
  new Field('f64', new Float64(), true),
  new Field('flag', new Bool(), true),
  new Field('text', new Utf8(), true),
  new Field('blob', new Binary(), true),
  new Field('fsb', new FixedSizeBinary(3), true),
  new Field('ts_us_utc', new TimestampMicrosecond('UTC'), true),
  new Field('ts_ns', new TimestampNanosecond(), true),
  new Field('ts_s', new TimestampSecond(), true),
  new Field('day', new DateDay(), true),
  new Field('date_ms', new DateMillisecond(), true),
  new Field('tod_ms', new TimeMillisecond(), true),
  new Field('tod_ns', new TimeNanosecond(), true),
  new Field('device', utf8Dictionary, true),
  new Field('ints', new List(new Field('item', new Int32(), true)), true),
  new Field('xyz', new FixedSizeList(3, new Field('item', new Float32(), true)), true),
  new Field('pair', new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true)]), true),
  new Field('nothing', new Null(), true),
];
const schema = new Schema(fields, new Map([['wearable:profile', 'js-peer'], ['empty', '']]));

// One dictionary shared by every batch: the file format forbids replacing a dictionary.
const deviceNames = vectorFromArray(['polar-h10', 'pinetime', 'oxi', ''], new Utf8());

function dictionaryColumn(n, seed) {
  const bitmap = new Uint8Array(Math.max(1, Math.ceil(n / 8)));
  let nulls = 0;
  const indices = Int32Array.from({ length: n }, (_, i) => {
    if ((i + seed) % 5 === 3) { nulls++; return 0; }
    bitmap[i >> 3] |= 1 << (i & 7);
    return i % 4;
  });
  return makeData({ type: utf8Dictionary, length: n, nullCount: nulls, nullBitmap: bitmap, data: indices, dictionary: deviceNames });
}

function batch(n, seed) {
  const pick = (i, f) => ((i + seed) % 5 === 3 ? null : f(i));
  const columns = [
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => [-128, 127, 0, k % 100][k % 4])), new Int8()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => [-32768, 32767, k][k % 3])), new Int16()),
    vectorFromArray(Array.from({ length: n }, (_, i) => [-2147483648, 2147483647, i * 7 - 50][i % 3]), new Int32()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => [-(2n ** 63n), 2n ** 63n - 1n, BigInt(k) * 1000000007n][k % 3])), new Int64()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => [0, 255, k % 256][k % 3])), new Uint8()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => [0, 65535, k][k % 3])), new Uint16()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => [0, 4294967295, k][k % 3])), new Uint32()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => [0n, 2n ** 64n - 1n, BigInt(k)][k % 3])), new Uint64()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => [Math.fround(1.5), -0, Infinity, NaN, Math.fround(k / 3)][k % 5])), new Float32()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => [Number.MAX_VALUE, Number.MIN_VALUE, -Infinity, k / 7][k % 4])), new Float64()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => k % 3 === 0)), new Bool()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => ['', 'héllo', '心拍数', '🫀 emoji', `row ${k}`][k % 5])), new Utf8()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => Uint8Array.from({ length: k % 4 }, (_, j) => (k * 31 + j) & 255))), new Binary()),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => Uint8Array.from([k & 255, 0, 255]))), new FixedSizeBinary(3)),
    makeData({ type: new TimestampMicrosecond('UTC'), length: n, nullCount: 0, data: BigInt64Array.from({ length: n }, (_, i) => 1_700_000_000_000_000n + BigInt(i) * 1_000_001n) }),
    makeData({ type: new TimestampNanosecond(), length: n, nullCount: 0, data: BigInt64Array.from({ length: n }, (_, i) => [-(2n ** 63n) + 1n, 2n ** 63n - 1n, 1_700_000_000_123_456_789n + BigInt(i)][i % 3]) }),
    makeData({ type: new TimestampSecond(), length: n, nullCount: 0, data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) - 5n) }),
    makeData({ type: new DateDay(), length: n, nullCount: 0, data: Int32Array.from({ length: n }, (_, i) => 19000 + i) }),
    makeData({ type: new DateMillisecond(), length: n, nullCount: 0, data: BigInt64Array.from({ length: n }, (_, i) => 1_700_000_000_000n + BigInt(i)) }),
    makeData({ type: new TimeMillisecond(), length: n, nullCount: 0, data: Int32Array.from({ length: n }, (_, i) => i * 1000) }),
    makeData({ type: new TimeNanosecond(), length: n, nullCount: 0, data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 1_000_000_007n) }),
    dictionaryColumn(n, seed),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => Array.from({ length: k % 4 }, (_, j) => k * 10 + j))), new List(new Field('item', new Int32(), true))),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => [k, -k, 0.5])), new FixedSizeList(3, new Field('item', new Float32(), true))),
    vectorFromArray(Array.from({ length: n }, (_, i) => pick(i, (k) => ({ a: k, b: `s${k}` }))), new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true)])),
    vectorFromArray(Array.from({ length: n }, () => null), new Null()),
  ].map((v) => ('data' in v ? v.data[0] : v));
  const data = makeData({ type: new Struct(fields), length: n, nullCount: 0, children: columns });
  return new RecordBatch(schema, data);
}

const batches = [batch(11, 0), batch(0, 1), batch(37, 2)];
writeFileSync(join(out, 'js.arrow'), RecordBatchFileWriter.writeAll(batches).toUint8Array(true));
writeFileSync(join(out, 'js.arrows'), RecordBatchStreamWriter.writeAll(batches).toUint8Array(true));
writeFileSync(join(out, 'js.expected.json'), JSON.stringify(describeBatches(schema, batches)));
process.stdout.write('ok\n');
