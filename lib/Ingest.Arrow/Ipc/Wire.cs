namespace Ingest.Arrow.Ipc;

/// <summary>Wire constants from Message.fbs, Schema.fbs and File.fbs (protocols.md §1.2–1.4), frozen by stability tests.</summary>
internal static class Wire
{
    /// <summary>Continuation marker that starts every encapsulated message since Arrow 0.15.</summary>
    public const uint ContinuationMarker = 0xFFFF_FFFF;

    /// <summary>MetadataVersion.V4.</summary>
    public const short MetadataV4 = 3;

    /// <summary>MetadataVersion.V5, the version we write.</summary>
    public const short MetadataV5 = 4;

    /// <summary>Body buffers and messages are aligned to 8 bytes (Columnar.rst; C++ IpcWriteOptions.alignment).</summary>
    public const int Alignment = 8;

    /// <summary>"ARROW1" followed by two padding bytes at the start of a file.</summary>
    public static ReadOnlySpan<byte> FileMagicPadded => "ARROW1\0\0"u8;

    /// <summary>"ARROW1" at the end of a file.</summary>
    public static ReadOnlySpan<byte> FileMagic => "ARROW1"u8;

    /// <summary>End-of-stream: continuation marker and a zero metadata length.</summary>
    public static ReadOnlySpan<byte> EndOfStream => [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];

    // MessageHeader union tags.
    public const byte HeaderSchema = 1;
    public const byte HeaderDictionaryBatch = 2;
    public const byte HeaderRecordBatch = 3;
    public const byte HeaderTensor = 4;
    public const byte HeaderSparseTensor = 5;

    // Type union tags.
    public const byte TypeNull = 1;
    public const byte TypeInt = 2;
    public const byte TypeFloatingPoint = 3;
    public const byte TypeBinary = 4;
    public const byte TypeUtf8 = 5;
    public const byte TypeBool = 6;
    public const byte TypeDecimal = 7;
    public const byte TypeDate = 8;
    public const byte TypeTime = 9;
    public const byte TypeTimestamp = 10;
    public const byte TypeInterval = 11;
    public const byte TypeList = 12;
    public const byte TypeStruct = 13;
    public const byte TypeUnion = 14;
    public const byte TypeFixedSizeBinary = 15;
    public const byte TypeFixedSizeList = 16;
    public const byte TypeMap = 17;
    public const byte TypeDuration = 18;
    public const byte TypeLargeBinary = 19;
    public const byte TypeLargeUtf8 = 20;
    public const byte TypeLargeList = 21;
    public const byte TypeRunEndEncoded = 22;
    public const byte TypeBinaryView = 23;
    public const byte TypeUtf8View = 24;
    public const byte TypeListView = 25;
    public const byte TypeLargeListView = 26;

    // Precision (FloatingPoint.precision).
    public const short PrecisionHalf = 0;
    public const short PrecisionSingle = 1;
    public const short PrecisionDouble = 2;

    // DateUnit.
    public const short DateDay = 0;
    public const short DateMillisecond = 1;

    // Endianness.
    public const short EndiannessLittle = 0;

    /// <summary>Size of FieldNode and Buffer structs.</summary>
    public const int StructSize16 = 16;

    /// <summary>Size of the File.fbs Block struct (long, int, 4 bytes padding, long).</summary>
    public const int BlockSize = 24;

    /// <summary>Bytes of a validity (or boolean) bitmap of <paramref name="length"/> bits; no overflow at int.MaxValue.</summary>
    public static int BitmapBytes(int length) => (int)((length + 7L) >> 3);

    public static int Align8(int value) => checked((value + 7) & ~7);

    public static long Align8(long value) => checked((value + 7) & ~7L);

    public static string HeaderName(byte header) => header switch
    {
        HeaderSchema => "Schema",
        HeaderDictionaryBatch => "DictionaryBatch",
        HeaderRecordBatch => "RecordBatch",
        HeaderTensor => "Tensor",
        HeaderSparseTensor => "SparseTensor",
        _ => $"unknown({header})",
    };

    public static string TypeName(byte type) => type switch
    {
        TypeDecimal => "Decimal",
        TypeInterval => "Interval",
        TypeUnion => "Union",
        TypeMap => "Map",
        TypeLargeBinary => "LargeBinary",
        TypeLargeUtf8 => "LargeUtf8",
        TypeLargeList => "LargeList",
        TypeRunEndEncoded => "RunEndEncoded",
        TypeBinaryView => "BinaryView",
        TypeUtf8View => "Utf8View",
        TypeListView => "ListView",
        TypeLargeListView => "LargeListView",
        _ => $"unknown({type})",
    };
}
