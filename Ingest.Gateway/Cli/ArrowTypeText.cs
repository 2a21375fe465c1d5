using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Ingest.Gateway.Cli;

/// <summary>Arrow types and fields as Arrow C++/pyarrow print them, e.g. <c>timestamp[us, tz=UTC]</c>, <c>list&lt;item: uint16 not null&gt;</c>.</summary>
internal static class ArrowTypeText
{
    public static string Field(Field field)
    {
        var text = new StringBuilder();
        AppendField(text, field);
        return text.ToString();
    }

    public static void AppendField(StringBuilder text, Field field)
    {
        text.Append(field.Name).Append(": ");
        AppendType(text, field.DataType);
        if (!field.IsNullable)
        {
            text.Append(" not null");
        }
    }

    public static void AppendType(StringBuilder text, IArrowType type)
    {
        switch (type)
        {
            case TimestampType timestamp:
                text.Append("timestamp[").Append(Unit(timestamp.Unit));
                if (!string.IsNullOrEmpty(timestamp.Timezone))
                {
                    text.Append(", tz=").Append(timestamp.Timezone);
                }

                text.Append(']');
                break;
            case Time32Type time32:
                text.Append("time32[").Append(Unit(time32.Unit)).Append(']');
                break;
            case Time64Type time64:
                text.Append("time64[").Append(Unit(time64.Unit)).Append(']');
                break;
            case DurationType duration:
                text.Append("duration[").Append(Unit(duration.Unit)).Append(']');
                break;
            case FixedSizeBinaryType fixedBinary when type.TypeId == ArrowTypeId.FixedSizedBinary:
                text.Append("fixed_size_binary[").Append(fixedBinary.ByteWidth).Append(']');
                break;
            case ListType list:
                text.Append("list<");
                AppendField(text, list.ValueField);
                text.Append('>');
                break;
            case FixedSizeListType fixedList:
                text.Append("fixed_size_list<");
                AppendField(text, fixedList.ValueField);
                text.Append(">[").Append(fixedList.ListSize).Append(']');
                break;
            case StructType structType:
                text.Append("struct<");
                for (var i = 0; i < structType.Fields.Count; i++)
                {
                    text.Append(i > 0 ? ", " : string.Empty);
                    AppendField(text, structType.Fields[i]);
                }

                text.Append('>');
                break;
            case DictionaryType dictionary:
                text.Append("dictionary<values=");
                AppendType(text, dictionary.ValueType);
                text.Append(", indices=");
                AppendType(text, dictionary.IndexType);
                text.Append(", ordered=").Append(dictionary.Ordered ? '1' : '0').Append('>');
                break;
            default:
                text.Append(SimpleName(type));
                break;
        }
    }

    public static string Unit(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => "s",
        TimeUnit.Millisecond => "ms",
        TimeUnit.Microsecond => "us",
        _ => "ns",
    };

    private static string SimpleName(IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Null => "null",
        ArrowTypeId.Boolean => "bool",
        ArrowTypeId.Int8 => "int8",
        ArrowTypeId.Int16 => "int16",
        ArrowTypeId.Int32 => "int32",
        ArrowTypeId.Int64 => "int64",
        ArrowTypeId.UInt8 => "uint8",
        ArrowTypeId.UInt16 => "uint16",
        ArrowTypeId.UInt32 => "uint32",
        ArrowTypeId.UInt64 => "uint64",
        ArrowTypeId.HalfFloat => "halffloat",
        ArrowTypeId.Float => "float",
        ArrowTypeId.Double => "double",
        ArrowTypeId.String => "string",
        ArrowTypeId.LargeString => "large_string",
        ArrowTypeId.Binary => "binary",
        ArrowTypeId.LargeBinary => "large_binary",
        ArrowTypeId.Date32 => "date32[day]",
        ArrowTypeId.Date64 => "date64[ms]",
        _ => type.Name,
    };
}
