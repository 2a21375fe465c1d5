using System.Buffers;
using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>
/// Fuzz/property tests of the reader contract: on any input it returns content whose every slot can be
/// read, or throws <see cref="ArrowFormatException"/> — never another exception, never a hang.
/// </summary>
public sealed class ReaderFuzzTests
{
    /// <summary>Stress runs: set WEARABLE_INGEST_FUZZ_SCALE (e.g. 100) to multiply the number of cases.</summary>
    private static readonly int s_scale = int.TryParse(Environment.GetEnvironmentVariable("WEARABLE_INGEST_FUZZ_SCALE"), out var scale) && scale > 0 ? scale : 1;

    private static readonly byte[] s_stream = WriteSample(file: false);
    private static readonly byte[] s_file = WriteSample(file: true);

    [Fact]
    public void Read_RandomBytes_OnlyArrowFormatException()
    {
        var bytes = Gen.Choose(0, 600).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000 * s_scale), Prop.ForAll(bytes.ToArbitrary(), input => ReadsOrRejects(input)));
    }

    [Fact]
    public void Read_RandomBytesAfterValidLookingPrefix_OnlyArrowFormatException()
    {
        // Continuation marker + plausible length (or file magic) so the fuzz reaches the FlatBuffers verifier.
        var prefix = Gen.Elements(
            new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x40, 0, 0, 0 },
            new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x88, 0, 0, 0, 0x14, 0, 0, 0 },
            "ARROW1\0\0"u8.ToArray());
        var input = prefix.SelectMany(p => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 200).Select(tail => p.Concat(tail).ToArray()));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000 * s_scale), Prop.ForAll(input.ToArbitrary(), data => ReadsOrRejects(data)));
    }

    [Fact]
    public void Read_EveryTruncationOfValidStreamAndFile_OnlyArrowFormatException()
    {
        foreach (var valid in new[] { s_stream, s_file })
        {
            for (var length = 0; length < valid.Length; length++)
            {
                Assert.True(ReadsOrRejects(valid[..length]), $"truncated at {length}");
            }
        }
    }

    [Fact]
    public void Read_SingleByteMutationsOfValidStream_OnlyArrowFormatException() => Mutations(s_stream);

    [Fact]
    public void Read_SingleByteMutationsOfValidFile_OnlyArrowFormatException() => Mutations(s_file);

    [Fact]
    public void Read_EveryBitFlipOfTinyStream_OnlyArrowFormatException()
    {
        var schema = new ArrowSchema.Builder().Field("hr", ArrowType.UInt8).Field("s", ArrowType.Utf8).Build();
        var output = new ArrayBufferWriter<byte>();
        ArrowIpc.WriteStream(output, schema, 3, [ColumnFactory.Fixed(new byte?[] { 1, null, 3 }, v => v).Column, ColumnFactory.Strings(["a", null, "ccc"]).Column]);
        var valid = output.WrittenSpan.ToArray();
        for (var bit = 0; bit < valid.Length * 8; bit++)
        {
            var mutated = (byte[])valid.Clone();
            mutated[bit >> 3] ^= (byte)(1 << (bit & 7));
            Assert.True(ReadsOrRejects(mutated), $"bit {bit}");
        }
    }

    [Fact]
    public void Read_HostileLengths_RejectedByLimitsWithoutAllocating()
    {
        // Metadata length far beyond ArrowLimits.MaxMetadataSize, and beyond the input.
        var huge = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xF8, 0xFF, 0xFF, 0x7F };
        Assert.Contains("ArrowLimits.MaxMetadataSize", Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(huge)).Message, StringComparison.Ordinal);
        var negative = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x80 };
        Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(negative));
        var unaligned = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        Assert.Contains("multiple of 8", Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(unaligned)).Message, StringComparison.Ordinal);
        Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(Array.Empty<byte>()));
        Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 }));
    }

    private static void Mutations(byte[] valid)
    {
        var mutation = Gen.Zip(Gen.Choose(0, valid.Length - 1), Gen.Choose(0, 255));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(4000 * s_scale), Prop.ForAll(mutation.ToArbitrary(), m =>
        {
            var mutated = (byte[])valid.Clone();
            mutated[m.Item1] = (byte)m.Item2;
            return ReadsOrRejects(mutated);
        }));
    }

    /// <summary>True when the input is read (and every slot then renders) or rejected with ArrowFormatException.</summary>
    private static bool ReadsOrRejects(byte[] input)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var content = ArrowIpcReader.Read(input);
            foreach (var batch in content.RecordBatches)
            {
                foreach (var column in batch.Columns)
                {
                    for (var i = 0; i < column.Length; i++)
                    {
                        _ = column.FormatValue(i);
                    }
                }
            }
        }
        catch (ArrowFormatException)
        {
        }

        // "Never a hang": even a hostile input is dealt with in far less than a second.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"reading {input.Length} bytes took {clock.Elapsed}");
        return true;
    }

    private static byte[] WriteSample(bool file)
    {
        var output = new ArrayBufferWriter<byte>();
        var columns = ArrowSamples.Columns(ArrowSamples.AllTypes(9, 1, withNulls: true));
        if (file)
        {
            var writer = new ArrowFileWriter(output, ArrowSamples.AllTypesSchema);
            writer.WriteStart(ArrowSamples.AllTypesDictionaries());
            writer.WriteBatch(9, columns);
            writer.Finish();
        }
        else
        {
            var writer = new ArrowStreamWriter(output, ArrowSamples.AllTypesSchema);
            writer.WriteStart(ArrowSamples.AllTypesDictionaries());
            writer.WriteBatch(9, columns);
            writer.WriteEnd();
        }

        return output.WrittenSpan.ToArray();
    }
}
