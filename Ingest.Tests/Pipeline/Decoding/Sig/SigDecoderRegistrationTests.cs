using System.Text.RegularExpressions;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Profiles;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

public sealed partial class SigDecoderRegistrationTests
{
    [Theory]
    [InlineData(0x2A19, "battery-level")]
    [InlineData(0x2A37, "heart-rate-measurement")]
    [InlineData(0x2A5F, "plx-continuous-measurement")]
    [InlineData(0x2A5E, "plx-spot-check-measurement")]
    [InlineData(0x2A1C, "temperature-measurement")]
    [InlineData(0x2A1E, "temperature-measurement")]
    [InlineData(0x2A53, "rsc-measurement")]
    [InlineData(0x2A5B, "csc-measurement")]
    public void TryGetForCharacteristic_StandardUuid_FindsTheDecoderAndCreatesItWithoutSettings(int uuid, string name)
    {
        Assert.True(BleUuid.TryNormalize(uuid.ToString("x4", System.Globalization.CultureInfo.InvariantCulture), out var canonical));
        Assert.True(BuiltInDecoders.TryGetForCharacteristic(canonical, out var factory));
        Assert.Equal(name, factory.Name);
        Assert.True(BuiltInDecoders.TryGet(name, out _));

        var decoder = factory.Create(DecoderSettings.Empty());

        Assert.NotNull(decoder.Schema);
        Assert.False(string.IsNullOrWhiteSpace(factory.Summary));
    }

    [Theory]
    [InlineData("battery-level")]
    [InlineData("heart-rate-measurement")]
    [InlineData("plx-continuous-measurement")]
    [InlineData("plx-spot-check-measurement")]
    [InlineData("temperature-measurement")]
    [InlineData("rsc-measurement")]
    public void Create_UnknownSetting_ThrowsProfileException(string name)
    {
        Assert.True(BuiltInDecoders.TryGet(name, out var factory));

        Assert.Throws<ProfileException>(() => factory.Create(DecoderSettings.Parse("""{ "sampleRate": 1 }""", "test", "$.settings")));
    }

    [Fact]
    public void Schemas_EveryColumn_IsLowerSnakeCaseDescribedAndStatusColumnsPairUp()
    {
        foreach (var kind in SigGenerators.Kinds)
        {
            var schema = kind.Create().Schema;
            foreach (var column in schema.Columns)
            {
                Assert.Matches(SnakeCase(), column.Name);
                Assert.False(string.IsNullOrWhiteSpace(column.Description), column.Name);
                if (column.Name.EndsWith("_status", StringComparison.Ordinal) && schema.IndexOf(column.Name[..^7]) is var value and >= 0)
                {
                    Assert.Equal(ColumnKind.UInt8, column.Kind);
                    Assert.Equal(value + 1, schema.IndexOf(column.Name));
                    Assert.True(schema.Columns[value].Nullable);
                }
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
