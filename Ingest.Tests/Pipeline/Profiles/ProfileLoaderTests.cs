using System.Text.Json.Nodes;
using Ingest.Pipeline.Profiles;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Profiles;

public class ProfileLoaderTests
{
    private const string ValidProfile = """
        {
          "$schema": "../profile.schema.json",
          "id": "test-band",
          "version": "1.2.3",
          "name": "Test Band",
          "vendor": "Tests",
          "match": { "advertisedServices": ["180f"], "localNamePattern": "^Band [0-9]+$" },
          "streams": [
            {
              "id": "battery",
              "service": "180f",
              "characteristic": "0x2A19",
              "decoder": "battery-level",
              "nominalRateHz": null,
              "setup": [ { "characteristic": "2a19", "write": "01 00", "description": "harmless" } ],
              "columns": [ { "name": "battery_level", "type": "uint8", "unit": "%", "description": "charge" } ],
              "captures": [ { "file": "captures/battery.hex", "expected": "captures/battery.expected.jsonl" } ]
            }
          ]
        }
        """;

    private static string WriteProfile(string json, string folderName = "test-band")
    {
        var root = Peers.NewScratchDirectory("profiles");
        var folder = Path.Combine(root, folderName);
        Directory.CreateDirectory(Path.Combine(folder, "captures"));
        File.WriteAllText(Path.Combine(folder, "profile.json"), json);
        File.WriteAllText(Path.Combine(folder, "captures", "battery.hex"), "2026-11-22T10:00:00Z 55\n2026-11-22T10:01:00Z 65\n");
        File.WriteAllText(Path.Combine(folder, "captures", "battery.expected.jsonl"),
            "{\"hub_time\":\"2026-11-22T10:00:00.000000000Z\",\"battery_level\":85}\n{\"rejected\":\"invalid-value\",\"line\":2}\n");
        return folder;
    }

    private static string Mutate(Action<JsonObject> change)
    {
        var node = JsonNode.Parse(ValidProfile)!.AsObject();
        change(node);
        return node.ToJsonString();
    }

    private static ProfileException LoadFails(string json, string folderName = "test-band") =>
        Assert.Throws<ProfileException>(() => ProfileLoader.Load(WriteProfile(json, folderName)));

    private static JsonObject Stream0(JsonObject profile) => profile["streams"]![0]!.AsObject();

    [Fact]
    public void Load_ValidProfile_ReadsEverything()
    {
        var profile = ProfileLoader.Load(WriteProfile(ValidProfile));

        Assert.Equal("test-band", profile.Id);
        Assert.Equal("1.2.3", profile.Version);
        var stream = Assert.Single(profile.Streams);
        Assert.Equal("00002a19-0000-1000-8000-00805f9b34fb", stream.Characteristic);
        Assert.Equal("0000180f-0000-1000-8000-00805f9b34fb", Assert.Single(profile.Match.AdvertisedServices));
        Assert.Null(stream.NominalRateHz);
        Assert.Equal(new byte[] { 1, 0 }, Assert.Single(stream.Setup).Value);
        Assert.Equal("battery_level", Assert.Single(stream.Schema.Columns).Name);
        Assert.Matches(profile.Match.LocalNamePattern!, "Band 42");
    }

    [Fact]
    public void Load_BadJson_NamesFileLineAndProblem()
    {
        var error = LoadFails(ValidProfile.Replace("\"Test Band\",", "\"Test Band\"", StringComparison.Ordinal));
        Assert.Contains("profile.json", error.File, StringComparison.Ordinal);
        Assert.Contains("not valid JSON at line 6", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateJsonKey_Rejected()
    {
        var error = LoadFails(ValidProfile.Replace("\"vendor\": \"Tests\",", "\"vendor\": \"Tests\", \"vendor\": \"Other\",", StringComparison.Ordinal));
        Assert.Contains("not valid JSON", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownDecoder_ListsKnownOnes()
    {
        var error = LoadFails(Mutate(p => Stream0(p)["decoder"] = "battery-levle"));
        Assert.Equal("$.streams[0].decoder", error.JsonPath);
        Assert.Contains("unknown decoder 'battery-levle'; known: battery-level", error.Problem, StringComparison.Ordinal);
        Assert.StartsWith(error.File, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownSetting_NamesSettingPath()
    {
        var error = LoadFails(Mutate(p => Stream0(p)["settings"] = new JsonObject { ["sampleRate"] = 1 }));
        Assert.Equal("$.streams[0].settings.sampleRate", error.JsonPath);
        Assert.Contains("unknown setting 'sampleRate'", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateStream_NamesBothPlaces()
    {
        var error = LoadFails(Mutate(p => p["streams"]!.AsArray().Add(Stream0(p).DeepClone())));
        Assert.Equal("$.streams[1].id", error.JsonPath);
        Assert.Contains("duplicate stream id 'battery' (also at $.streams[0])", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ColumnTypeDiffersFromDecoder_Rejected()
    {
        var error = LoadFails(Mutate(p => Stream0(p)["columns"]![0]!["type"] = "uint16"));
        Assert.Equal("$.streams[0].columns[0].type", error.JsonPath);
        Assert.Contains("writes 'battery_level' as uint8, not uint16", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ImpossibleColumnType_ListsAcceptedTypes()
    {
        var error = LoadFails(Mutate(p => Stream0(p)["columns"]![0]!["type"] = "int12"));
        Assert.Contains("unknown type 'int12'; use one of: int8", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingAndExtraColumns_Rejected()
    {
        var missing = LoadFails(Mutate(p => Stream0(p)["columns"] = new JsonArray()));
        Assert.Contains("battery_level (uint8)", missing.Problem, StringComparison.Ordinal);

        var extra = LoadFails(Mutate(p => Stream0(p)["columns"]!.AsArray().Add(new JsonObject { ["name"] = "x", ["type"] = "uint8" })));
        Assert.Equal("$.streams[0].columns[1].name", extra.JsonPath);
        Assert.Contains("'x' is extra", extra.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKey_CatchesTypos()
    {
        var error = LoadFails(Mutate(p => Stream0(p)["nominalRate"] = 1));
        Assert.Equal("$.streams[0].nominalRate", error.JsonPath);
        Assert.Contains("unknown key 'nominalRate'", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingNominalRate_Required()
    {
        var error = LoadFails(Mutate(p => Stream0(p).Remove("nominalRateHz")));
        Assert.Equal("$.streams[0].nominalRateHz", error.JsonPath);
    }

    [Theory]
    [InlineData("../../etc/passwd", "points outside the profile folder")]
    [InlineData("captures/none.hex", "does not exist")]
    public void Load_BadCapturePath_Rejected(string path, string problem)
    {
        var error = LoadFails(Mutate(p => Stream0(p)["captures"]![0]!["file"] = path));
        Assert.Equal("$.streams[0].captures[0].file", error.JsonPath);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id", "Test_Band", "not lower kebab case")]
    [InlineData("version", "1.0", "not a semantic version")]
    public void Load_BadIdentity_Rejected(string key, string value, string problem)
    {
        var error = LoadFails(Mutate(p => p[key] = value));
        Assert.Equal("$." + key, error.JsonPath);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IdDiffersFromFolder_Rejected()
    {
        var error = LoadFails(ValidProfile, folderName: "other-band");
        Assert.Contains("differs from the folder name 'other-band'", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadPatternAndUuidAndHex_Rejected()
    {
        Assert.Contains("not a valid regular expression",
            LoadFails(Mutate(p => p["match"]!["localNamePattern"] = "(")).Problem, StringComparison.Ordinal);
        Assert.Equal("$.streams[0].service",
            LoadFails(Mutate(p => Stream0(p)["service"] = "heart")).JsonPath);
        Assert.Contains("not hex bytes",
            LoadFails(Mutate(p => Stream0(p)["setup"]![0]!["write"] = "0g")).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoMatchRules_Rejected()
    {
        var error = LoadFails(Mutate(p => p["match"] = new JsonObject()));
        Assert.Equal("$.match", error.JsonPath);
    }

    [Fact]
    public void Load_Bonding_IsABooleanThatDefaultsToFalse()
    {
        Assert.False(ProfileLoader.Load(WriteProfile(ValidProfile)).RequiresBonding);
        Assert.True(ProfileLoader.Load(WriteProfile(Mutate(p => p["bonding"] = true))).RequiresBonding);
        var error = LoadFails(Mutate(p => p["bonding"] = "yes"));
        Assert.Equal("$.bonding", error.JsonPath);
        Assert.Contains("must be true or false", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAFolderOrFile_SaysSo()
    {
        var error = Assert.Throws<ProfileException>(() => ProfileLoader.Load("/nonexistent/profile"));
        Assert.Contains("no such file or folder", error.Problem, StringComparison.Ordinal);
    }

    private static ProfileException LoadBytesFails(byte[] bytes)
    {
        var folder = WriteProfile("{}");
        File.WriteAllBytes(Path.Combine(folder, "profile.json"), bytes);
        return Assert.Throws<ProfileException>(() => ProfileLoader.Load(folder));
    }

    [Fact]
    public void Load_EmptyFile_SaysItIsEmpty() =>
        Assert.Contains("the file is empty", LoadBytesFails([]).Problem, StringComparison.Ordinal);

    [Fact]
    public void Load_BinaryFile_SaysItIsBinary() =>
        Assert.Contains("it is binary", LoadBytesFails([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D]).Problem, StringComparison.Ordinal);

    [Fact]
    public void Load_InvalidUtf8_SaysSo() =>
        Assert.Contains("not valid UTF-8", LoadBytesFails([.. "{\"id\":\""u8, 0xFF, 0xFE, .. "\"}"u8]).Problem, StringComparison.Ordinal);

    [Fact]
    public void Load_DeeplyNested_NamesTheDepthLimit() =>
        Assert.Contains($"nested deeper than {ProfileLimits.MaxJsonDepth} levels",
            LoadBytesFails(System.Text.Encoding.UTF8.GetBytes(new string('[', 10_000))).Problem, StringComparison.Ordinal);

    [Fact]
    public void Load_FileOverTheLimit_RefusedWithoutReadingIt()
    {
        var folder = WriteProfile("{}");
        using (var file = File.OpenWrite(Path.Combine(folder, "profile.json")))
        {
            file.SetLength(300L << 20); // sparse
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ProfileException>(() => ProfileLoader.Load(folder));

        Assert.Contains($"a profile may be at most {ProfileLimits.MaxProfileBytes} bytes and this file is 314572800 bytes", error.Problem, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < ProfileLimits.MaxProfileBytes, "the file was read");
    }

    [Fact]
    public void Locator_FindsFolderFileAndIdInTheProfilesFolder_AndNothingElse()
    {
        var folder = WriteProfile(ValidProfile);
        var profiles = Path.GetDirectoryName(folder)!;

        Assert.Equal(folder, ProfileLocator.Find(folder, null));
        Assert.Equal(Path.Combine(folder, "profile.json"), ProfileLocator.Find(Path.Combine(folder, "profile.json"), null));
        Assert.Equal(folder, ProfileLocator.Find("test-band", profiles));
        Assert.Null(ProfileLocator.Find("other-band", profiles));
        Assert.Null(ProfileLocator.Find("", profiles));
        Assert.Null(ProfileLocator.Find("../test-band", Path.Combine(profiles, "sub")));
    }
}
