// Canonical JSON rendering of Arrow JS vectors and schemas, shared by arrow-read.mjs and arrow-write.mjs.
// Values: null | boolean | number (ints up to 32 bits) | string (64-bit ints and every temporal value as
// their raw integer, floats as String(v) with "-0", binary as upper-case hex) | array (lists) | object (structs).
import { Type } from 'apache-arrow';

const hex = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();

function floatString(v) {
  return Object.is(v, -0) ? '-0' : String(v);
}

// Raw stored value of a fixed-width slot (BigInt for 64-bit types), bypassing JS's temporal conversions.
function rawAt(vector, index) {
  let k = index;
  for (const data of vector.data) {
    if (k < data.length) {
      const stride = data.stride ?? 1;
      const values = data.values;
      if (stride !== 1) throw new Error(`unexpected stride ${stride} for ${data.type}`);
      return values[k];
    }
    k -= data.length;
  }
  throw new Error(`index ${index} out of range`);
}

function scalar(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? value : floatString(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return hex(value);
  throw new Error(`no canonical form for ${typeof value}`);
}

export function canon(vector, index) {
  if (!vector.isValid(index)) return null;
  const type = vector.type;
  switch (type.typeId) {
    case Type.Null: return null;
    case Type.Bool: return vector.get(index);
    case Type.Int: return type.bitWidth === 64 ? vector.get(index).toString() : vector.get(index);
    case Type.Float: return floatString(vector.get(index));
    case Type.Utf8: return vector.get(index);
    case Type.Binary:
    case Type.FixedSizeBinary: return hex(vector.get(index));
    case Type.Timestamp:
    case Type.Date:
    case Type.Time:
    case Type.Duration: return String(rawAt(vector, index));
    case Type.Dictionary: return scalar(vector.get(index));
    case Type.List:
    case Type.FixedSizeList: {
      const slot = vector.get(index);
      const out = [];
      for (let k = 0; k < slot.length; k++) out.push(canon(slot, k));
      return out;
    }
    case Type.Struct: {
      const out = {};
      type.children.forEach((field, c) => { out[field.name] = canon(vector.getChildAt(c), index); });
      return out;
    }
    default: throw new Error(`unsupported type ${type}`);
  }
}

export function describeType(type) {
  const d = { id: Type[type.typeId] };
  switch (type.typeId) {
    case Type.Int: d.bitWidth = type.bitWidth; d.isSigned = type.isSigned; break;
    case Type.Float: d.precision = type.precision; break;
    case Type.Timestamp: d.unit = type.unit; d.timezone = type.timezone ?? null; break;
    case Type.Date: d.unit = type.unit; break;
    case Type.Time: d.unit = type.unit; d.bitWidth = type.bitWidth; break;
    case Type.Duration: d.unit = type.unit; break;
    case Type.FixedSizeBinary: d.byteWidth = type.byteWidth; break;
    case Type.FixedSizeList: d.listSize = type.listSize; break;
    case Type.Dictionary:
      d.dictionaryId = Number(type.id);
      d.indexBitWidth = type.indices.bitWidth;
      d.indexSigned = type.indices.isSigned;
      d.valueType = describeType(type.dictionary);
      break;
    default: break;
  }
  if (type.children?.length) d.children = type.children.map(describeField);
  return d;
}

export function describeField(field) {
  return { name: field.name, nullable: field.nullable, type: describeType(field.type), metadata: Object.fromEntries(field.metadata ?? new Map()) };
}

export function describeBatches(schema, batches) {
  return {
    schema: { fields: schema.fields.map(describeField), metadata: Object.fromEntries(schema.metadata ?? new Map()) },
    batches: batches.map((batch) => ({
      length: batch.numRows,
      columns: schema.fields.map((_, c) => {
        const vector = batch.getChildAt(c);
        const values = [];
        for (let i = 0; i < batch.numRows; i++) values.push(canon(vector, i));
        return values;
      }),
    })),
  };
}
