using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Output;
using Ingest.Tests.Pipeline.Batching;

namespace Ingest.Tests.CommandLine.BadInput.Rows;

/// <summary>Bad inputs for <c>profiles list|validate|decoders</c> and <c>arrow inspect</c>.</summary>
[BadInputRows]
public static class ProfilesAndArrowRows
{
    private const long HugeBytes = 300L << 20; // more than the harness's 256 MiB heap: only bounded reading survives it

    public static IEnumerable<BadInputCase> Cases() => [.. Validate(), .. List(), .. Decoders(), .. Inspect()];

    private static IEnumerable<BadInputCase> Validate() =>
    [
        new() { Command = "profiles validate", Input = "missing path", Args = ["profiles", "validate", "/nope"], Exit = "usage", Says = ["/nope", "neither a folder"] },
        new() { Command = "profiles validate", Input = "unknown id", Args = ["profiles", "validate", "no-such-tracker", "--profiles-dir", "{profiles}"], Exit = "usage", Says = ["no-such-tracker", "profile id"] },
        new() { Command = "profiles validate", Input = "unicode id", Args = ["profiles", "validate", "пульсометр-ü"], Exit = "usage", Says = ["пульсометр-ü", "profile id"] },
        new() { Command = "profiles validate", Input = "empty argument", Args = ["profiles", "validate", ""], Exit = "usage", Says = ["empty"] },
        new() { Command = "profiles validate", Input = "one missing among good ones", Args = ["profiles", "validate", "polar-h10", "nope", "--profiles-dir", "{profiles}"], Exit = "usage", Says = ["'nope'"] },
        new() { Command = "profiles validate", Input = "--profiles-dir missing", Args = ["profiles", "validate", "--profiles-dir", "nope"], Exit = "usage", Says = ["--profiles-dir", "does not exist"] },
        new() { Command = "profiles validate", Input = "--profiles-dir empty value", Args = ["profiles", "validate", "--profiles-dir", ""], Exit = "usage", Says = ["--profiles-dir", "empty"] },
        new() { Command = "profiles validate", Input = "--profiles-dir a file", Arrange = dir => File.WriteAllText(Path.Combine(dir, "p.json"), "{}"), Args = ["profiles", "validate", "--profiles-dir", "p.json"], Exit = "usage", Says = ["--profiles-dir", "is a file"] },
        new() { Command = "profiles validate", Input = "--profiles-dir empty folder", Arrange = dir => Directory.CreateDirectory(Path.Combine(dir, "профили")), Args = ["profiles", "validate", "--profiles-dir", "профили"], Exit = "usage", Says = ["профили", "holds no profiles"] },
        new() { Command = "profiles validate", Input = "--profiles-dir one profile's folder", Arrange = dir => Profile(dir, "x", "{}"), Args = ["profiles", "validate", "--profiles-dir", "x"], Exit = "usage", Says = ["one profile's folder", "parent"] },
        new() { Command = "profiles validate", Input = "binary profile.json", Arrange = dir => ProfileBytes(dir, "bin", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]), Args = ["profiles", "validate", "bin"], Exit = "rejected", Says = ["1 of 1", "failed validation"] },
        new() { Command = "profiles validate", Input = "huge profile.json", Arrange = dir => HugeProfile(dir, "huge"), Args = ["profiles", "validate", "huge"], Exit = "rejected", Says = ["1 of 1", "failed validation"] },
        new() { Command = "profiles validate", Input = "invalid UTF-8", Arrange = dir => ProfileBytes(dir, "utf", [.. "{\"id\":\""u8, 0xFF, 0xFE, .. "\"}"u8]), Args = ["profiles", "validate", "utf"], Exit = "rejected", Says = ["failed validation"] },
        new() { Command = "profiles validate", Input = "deeply nested JSON", Arrange = dir => Profile(dir, "deep", new string('[', 100_000)), Args = ["profiles", "validate", "deep"], Exit = "rejected", Says = ["failed validation"] },
        new() { Command = "profiles validate", Input = "empty profile.json", Arrange = dir => Profile(dir, "empty", ""), Args = ["profiles", "validate", "empty"], Exit = "rejected", Says = ["failed validation"] },
        new() { Command = "profiles validate", Input = "profile missing its version", Arrange = dir => Profile(dir, "bad", "{\"id\":\"bad\"}"), Args = ["profiles", "validate", "bad/profile.json"], Exit = "rejected", Says = ["1 of 1", "failed validation"] },
        new() { Command = "profiles validate", Input = "every profile of a folder with a broken one", Arrange = dir => { Profile(dir, "set/a", "{\"id\":\"a\"}"); Profile(dir, "set/b", "not json"); }, Args = ["profiles", "validate", "--profiles-dir", "set"], Exit = "rejected", Says = ["2 of 2", "failed validation"] },
    ];

    private static IEnumerable<BadInputCase> List() =>
    [
        new() { Command = "profiles list", Input = "--profiles-dir missing", Args = ["profiles", "list", "--profiles-dir", "/nope"], Exit = "usage", Says = ["--profiles-dir", "does not exist"] },
        new() { Command = "profiles list", Input = "--profiles-dir empty value", Args = ["profiles", "list", "--profiles-dir", " "], Exit = "usage", Says = ["--profiles-dir", "empty"] },
        new() { Command = "profiles list", Input = "--profiles-dir a file", Arrange = dir => File.WriteAllText(Path.Combine(dir, "p.json"), "{}"), Args = ["profiles", "list", "--profiles-dir", "p.json"], Exit = "usage", Says = ["is a file"] },
        new() { Command = "profiles list", Input = "--profiles-dir a device", Args = ["profiles", "list", "--profiles-dir", "/dev/null"], Exit = "usage", Says = ["/dev/null", "is a file"] },
        new() { Command = "profiles list", Input = "--profiles-dir empty folder", Arrange = dir => Directory.CreateDirectory(Path.Combine(dir, "empty")), Args = ["profiles", "list", "--profiles-dir", "empty"], Exit = "usage", Says = ["holds no profiles"] },
        new() { Command = "profiles list", Input = "--profiles-dir without a value", Args = ["profiles", "list", "--profiles-dir"], Exit = "usage", Says = ["--profiles-dir"] },
        new() { Command = "profiles list", Input = "a broken profile", Arrange = dir => Profile(dir, "set/a", "{\"id\":\"a\"}"), Args = ["profiles", "list", "--profiles-dir", "set"], Exit = "usage", Says = ["set/a/profile.json", "version"] },
        new() { Command = "profiles list", Input = "a huge profile", Arrange = dir => HugeProfile(dir, "set/huge"), Args = ["profiles", "list", "--profiles-dir", "set"], Exit = "usage", Says = ["at most", "bytes"] },
        new() { Command = "profiles list", Input = "unknown option", Args = ["profiles", "list", "--bogus"], Exit = "usage", Says = ["--bogus"] },
    ];

    private static IEnumerable<BadInputCase> Decoders() =>
    [
        new() { Command = "profiles decoders", Input = "extra argument", Args = ["profiles", "decoders", "polar-h10"], Exit = "usage", Says = ["polar-h10"] },
        new() { Command = "profiles decoders", Input = "option of another command", Args = ["profiles", "decoders", "--profiles-dir", "x"], Exit = "usage", Says = ["--profiles-dir"] },
        new() { Command = "profiles decoders", Input = "unicode argument", Args = ["profiles", "decoders", "—help"], Exit = "usage", Says = ["—help"] },
    ];

    private static IEnumerable<BadInputCase> Inspect() =>
    [
        new() { Command = "arrow inspect", Input = "missing file", Args = ["arrow", "inspect", "nope.arrow"], Exit = "usage", Says = ["nope.arrow", "does not exist"] },
        new() { Command = "arrow inspect", Input = "unicode name, missing", Args = ["arrow", "inspect", "Messung-ü.arrow"], Exit = "usage", Says = ["Messung-ü.arrow", "does not exist"] },
        new() { Command = "arrow inspect", Input = "empty argument", Args = ["arrow", "inspect", ""], Exit = "usage", Says = ["empty"] },
        new() { Command = "arrow inspect", Input = "folder", Args = ["arrow", "inspect", "."], Exit = "usage", Says = ["is a folder"] },
        new() { Command = "arrow inspect", Input = "empty file", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "e.arrow"), []), Args = ["arrow", "inspect", "e.arrow"], Exit = "rejected", Says = ["e.arrow", "empty"] },
        new() { Command = "arrow inspect", Input = "/dev/null", Args = ["arrow", "inspect", "/dev/null"], Exit = "rejected", Says = ["empty"] },
        new() { Command = "arrow inspect", Input = "text file", Arrange = dir => File.WriteAllText(Path.Combine(dir, "notes.arrow"), "hub_time,heart_rate\n2025-11-22T10:00:00Z,61\n"), Args = ["arrow", "inspect", "notes.arrow"], Exit = "rejected", Says = ["looks like text"] },
        new() { Command = "arrow inspect", Input = "binary garbage", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "g.arrow"), Garbage(4096)), Args = ["arrow", "inspect", "g.arrow"], Exit = "rejected", Says = ["is not Arrow IPC"] },
        new() { Command = "arrow inspect", Input = "huge garbage", Arrange = dir => Sparse(Path.Combine(dir, "huge.arrow"), [0x13, 0x37, 0xC0, 0xDE]), Args = ["arrow", "inspect", "huge.arrow"], Exit = "rejected", Says = ["is not Arrow IPC"] },
        new() { Command = "arrow inspect", Input = "huge stream whose first message claims 2 GB", Arrange = dir => Sparse(Path.Combine(dir, "huge.arrows"), [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0x7F]), Args = ["arrow", "inspect", "huge.arrows"], Exit = "rejected", Says = ["cut off"] },
        new() { Command = "arrow inspect", Input = "truncated file", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "t.arrow"), ArrowFile()[..^20]), Args = ["arrow", "inspect", "t.arrow"], Exit = "rejected", Says = ["truncated"] },
        new() { Command = "arrow inspect", Input = "truncated stream", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "t.arrows"), ArrowStream()[..^100]), Args = ["arrow", "inspect", "t.arrows"], Exit = "rejected", Says = ["truncated"] },
        new() { Command = "arrow inspect", Input = "--rows out of range", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "hr.arrows"), ArrowStream()), Args = ["arrow", "inspect", "hr.arrows", "--rows", "1000000"], Exit = "usage", Says = ["--rows", "0 to 1000"] },
        new() { Command = "arrow inspect", Input = "--rows negative", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "hr.arrows"), ArrowStream()), Args = ["arrow", "inspect", "hr.arrows", "--rows", "-1"], Exit = "usage", Says = ["--rows"] },
        new() { Command = "arrow inspect", Input = "--rows not a number", Args = ["arrow", "inspect", "x.arrow", "--rows", "ten"], Exit = "usage", Says = ["--rows"] },
    ];

    private static void Profile(string dir, string folder, string json)
    {
        Directory.CreateDirectory(Path.Combine(dir, folder));
        File.WriteAllText(Path.Combine(dir, folder, "profile.json"), json);
    }

    private static void ProfileBytes(string dir, string folder, byte[] bytes)
    {
        Directory.CreateDirectory(Path.Combine(dir, folder));
        File.WriteAllBytes(Path.Combine(dir, folder, "profile.json"), bytes);
    }

    private static void HugeProfile(string dir, string folder)
    {
        Directory.CreateDirectory(Path.Combine(dir, folder));
        Sparse(Path.Combine(dir, folder, "profile.json"), "{\"id\": \""u8.ToArray());
    }

    // A file of HugeBytes that starts with 'start' and is sparse after it: large for the command, cheap for the disk.
    private static void Sparse(string path, byte[] start)
    {
        using var file = File.Create(path);
        file.Write(start);
        file.SetLength(HugeBytes);
    }

    private static byte[] Garbage(int length)
    {
        var bytes = new byte[length];
        new Random(12).NextBytes(bytes);
        bytes[0] = 0x42; // not 'A' (ARROW1), not 0xFF (continuation marker)
        return bytes;
    }

    private static byte[] ArrowStream()
    {
        using var encoder = new ArrowBatchEncoder(ArrowBatchEncoderTests.HeartRateSchema, ArrowBatchEncoderTests.HeartRateDescription);
        return encoder.EncodeStream(ArrowBatchEncoderTests.HeartRateRows(), new BatchIdentity("hub-7", "p-0042/heart-rate", 1)).ToArray();
    }

    private static byte[] ArrowFile()
    {
        var file = new MemoryStream();
        using (var output = new ArrowFileRowOutput(file, ArrowBatchEncoderTests.HeartRateSchema, ArrowBatchEncoderTests.HeartRateDescription))
        {
            output.WriteBatch(ArrowBatchEncoderTests.HeartRateRows());
        }

        return file.ToArray();
    }
}
