using Ingest.Arrow;
using Ingest.Tests.Support;

namespace Ingest.Tests.Arrow;

/// <summary>Our reader against the files Arrow C++ wrote (shared/testdata/arrow-gold), compared value by value with their JSON.</summary>
public sealed class GoldFileTests
{
    public static TheoryData<string> ReadableCases => new()
    {
        "cpp-21.0.0/generated_primitive",
        "cpp-21.0.0/generated_primitive_no_batches",
        "cpp-21.0.0/generated_primitive_zerolength",
        "cpp-21.0.0/generated_datetime",
        "cpp-21.0.0/generated_dictionary",
        "cpp-21.0.0/generated_dictionary_unsigned",
        "cpp-21.0.0/generated_null",
        "cpp-21.0.0/generated_custom_metadata",
        "1.0.0-littleendian/generated_primitive",
        "1.0.0-littleendian/generated_datetime",
        "1.0.0-littleendian/generated_dictionary",
    };

    private static string GoldDirectory
    {
        get
        {
            var directory = Path.Combine(Peers.SharedTestData, "arrow-gold");
            Assert.True(Directory.Exists(directory), $"the Arrow gold files are missing: expected {directory} (../shared/testdata/arrow-gold next to the checkout)");
            return directory;
        }
    }

    [Theory]
    [MemberData(nameof(ReadableCases))]
    public void ReadStream_GoldStream_MatchesJson(string stem)
    {
        using var json = GoldJson.Load(Path.Combine(GoldDirectory, stem + ".json.gz"));
        var content = ArrowIpcReader.Read(File.ReadAllBytes(Path.Combine(GoldDirectory, stem + ".stream")));
        Assert.Equal(ArrowIpcFormat.Stream, content.Format);
        Assert.Equal(5, content.MetadataVersion);
        GoldJson.AssertContentMatches(json.RootElement, content);
    }

    [Theory]
    [MemberData(nameof(ReadableCases))]
    public void ReadFile_GoldFile_MatchesJson(string stem)
    {
        using var json = GoldJson.Load(Path.Combine(GoldDirectory, stem + ".json.gz"));
        var content = ArrowIpcReader.Read(File.ReadAllBytes(Path.Combine(GoldDirectory, stem + ".arrow_file")));
        Assert.Equal(ArrowIpcFormat.File, content.Format);
        GoldJson.AssertContentMatches(json.RootElement, content);
    }

    [Theory]
    [InlineData("1.0.0-bigendian/generated_primitive.stream", "big-endian")]
    [InlineData("1.0.0-bigendian/generated_primitive.arrow_file", "big-endian")]
    [InlineData("2.0.0-compression/generated_lz4.stream", "compressed record batch bodies (LZ4_FRAME) are not supported")]
    [InlineData("2.0.0-compression/generated_lz4.arrow_file", "compressed record batch bodies (LZ4_FRAME) are not supported")]
    [InlineData("2.0.0-compression/generated_zstd.stream", "compressed record batch bodies (ZSTD) are not supported")]
    [InlineData("2.0.0-compression/generated_zstd.arrow_file", "compressed record batch bodies (ZSTD) are not supported")]
    [InlineData("0.14.1/generated_primitive.stream", "legacy (pre-0.15) IPC framing is not supported")]
    [InlineData("0.14.1/generated_primitive.arrow_file", "legacy (pre-0.15) IPC framing is not supported")]
    [InlineData("0.14.1/generated_datetime.stream", "legacy (pre-0.15) IPC framing is not supported")]
    [InlineData("0.14.1/generated_datetime.arrow_file", "legacy (pre-0.15) IPC framing is not supported")]
    public void Read_UnsupportedGoldCase_RejectsWithClearMessage(string file, string expectedMessage)
    {
        var bytes = File.ReadAllBytes(Path.Combine(GoldDirectory, file));
        var error = Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(bytes));
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GoldDirectory_EveryCase_IsCoveredByATest()
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in ReadableCases)
        {
            covered.Add(row);
        }

        foreach (var stem in new[] { "1.0.0-bigendian/generated_primitive", "2.0.0-compression/generated_lz4", "2.0.0-compression/generated_zstd", "0.14.1/generated_primitive", "0.14.1/generated_datetime" })
        {
            covered.Add(stem);
        }

        foreach (var json in Directory.EnumerateFiles(GoldDirectory, "*.json.gz", SearchOption.AllDirectories))
        {
            var stem = Path.GetRelativePath(GoldDirectory, json)[..^".json.gz".Length].Replace('\\', '/');
            Assert.Contains(stem, covered);
        }
    }
}
