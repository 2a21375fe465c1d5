using System.Text;

namespace Ingest.Tests.CommandLine.BadInput.Rows;

/// <summary>
/// <c>decode</c>: bad captures (missing, folder, binary, empty, huge), bad times, bad output paths, conflicting options,
/// bad profiles and settings. A capture is read one bounded line at a time: an over-long line is one unreadable line
/// (exit 1, reading goes on); a binary capture is refused as a whole (exit 2).
/// </summary>
[BadInputRows]
public static class DecodeRows
{
    /// <summary>A capture larger than the harness's heap limit, without one line break.</summary>
    private const int HugeCaptureMegabytes = 300;

    /// <summary>The rows.</summary>
    public static IEnumerable<BadInputCase> Cases() =>
    [
        // Output paths: never over an input, never half written, one line for each mistake.
        new() { Command = "decode", Input = "output equal to the capture", Arrange = Capture("c.hex", "16 48 00 04\n"),
                Args = ["decode", "--uuid", "2a37", "--capture", "c.hex", "--out", "c.hex"], Exit = "usage", Says = ["--out", "input"] },
        new() { Command = "decode", Input = "output a symbolic link to the capture",
                Arrange = dir => { File.WriteAllText(Path.Combine(dir, "c.hex"), "16 48 00 04\n"); File.CreateSymbolicLink(Path.Combine(dir, "l.arrow"), "c.hex"); },
                Args = ["decode", "--uuid", "2a37", "--capture", "c.hex", "--format", "arrow", "--out", "l.arrow"], Exit = "usage", Says = ["--out", "input"] },
        new() { Command = "decode", Input = "rejections file equal to the capture", Arrange = Capture("c.hex", "16 48 00 04\n"),
                Args = ["decode", "--uuid", "2a37", "--capture", "c.hex", "--rejections", "c.hex"], Exit = "usage", Says = ["--rejections", "input"] },
        new() { Command = "decode", Input = "rejections file equal to --out", Arrange = Capture("c.hex", "16 48 00 04\n"),
                Args = ["decode", "--uuid", "2a37", "--capture", "c.hex", "--out", "o.jsonl", "--rejections", "o.jsonl"], Exit = "usage", Says = ["--rejections", "input"] },
        new() { Command = "decode", Input = "empty --out", Args = ["decode", "--uuid", "2a19", "--hex", "55", "--out", ""], Exit = "usage", Says = ["--out", "empty"] },
        new() { Command = "decode", Input = "--out a folder", Args = ["decode", "--uuid", "2a19", "--hex", "55", "--out", "."], Exit = "usage", Says = ["--out", "folder"] },
        new() { Command = "decode", Input = "--out in a missing folder", Args = ["decode", "--uuid", "2a19", "--hex", "55", "--out", "nope/rows.jsonl"], Exit = "usage", Says = ["--out", "does not exist"] },
        new() { Command = "decode", Input = "--out unwritable", Args = ["decode", "--uuid", "2a19", "--hex", "55", "--format", "arrow", "--out", "/proc/wi-out.arrow"], Exit = "usage", Says = ["--out", "cannot be created", "folder you can write"] },

        // The capture itself.
        new() { Command = "decode", Input = "empty --capture", Args = ["decode", "--uuid", "2a19", "--capture", ""], Exit = "usage", Says = ["--capture", "empty"] },
        new() { Command = "decode", Input = "missing capture", Args = ["decode", "--uuid", "2a19", "--capture", "nope.hex"], Exit = "usage", Says = ["nope.hex", "does not exist"] },
        new() { Command = "decode", Input = "capture is a folder", Arrange = dir => Directory.CreateDirectory(Path.Combine(dir, "caps")),
                Args = ["decode", "--uuid", "2a19", "--capture", "caps"], Exit = "usage", Says = ["caps", "is a folder"] },
        new() { Command = "decode", Input = "binary capture", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "c.hex"), [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x1B, 0x5B, 0x32, 0x4A, 0x0A]),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex"], Exit = "usage", Says = ["c.hex", "is binary, not a text capture"] },
        new() { Command = "decode", Input = "binary capture after good lines, with --out", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "c.hex"), [.. "10\n11\n"u8, 0x00, 0x0A]),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex", "--out", "rows.jsonl"], Exit = "usage", Says = ["is binary", "line 3"] },
        new() { Command = "decode", Input = "capture that is not UTF-8", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "c.hex"), [0x31, 0x30, 0x20, 0xFF, 0xFE, 0x0A]),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex"], Exit = "usage", Says = ["is binary", "UTF-8"] },
        new() { Command = "decode", Input = "binary capture on standard input", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "c.bin"), [0x00, 0x01, 0x02, 0x1B]),
                StandardInputFile = "c.bin", Args = ["decode", "--uuid", "2a19", "--capture", "-"], Exit = "usage", Says = ["standard input", "is binary"] },
        new() { Command = "decode", Input = "empty capture", Arrange = Capture("c.hex", ""),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex"], Exit = "rejected", Says = ["c.hex", "has no notifications"] },
        new() { Command = "decode", Input = "capture of comments and blank lines", Arrange = Capture("c.hex", "# nothing yet\n\n   \n"),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex", "--out", "rows.jsonl"], Exit = "rejected", Says = ["has no notifications"] },
        new() { Command = "decode", Input = "empty standard input", StandardInput = "",
                Args = ["decode", "--uuid", "2a19", "--capture", "-"], Exit = "rejected", Says = ["standard input", "has no notifications"] },
        new() { Command = "decode", Input = "huge capture without a line break", Arrange = HugeCapture("c.hex"), Timeout = TimeSpan.FromMinutes(2),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex", "--out", "rows.jsonl"], Exit = "rejected", Says = ["c.hex", "no notifications", "unreadable"] },
        new() { Command = "decode", Input = "huge standard input without a line break", Arrange = HugeCapture("c.hex"), Timeout = TimeSpan.FromMinutes(2),
                StandardInputFile = "c.hex", Args = ["decode", "--uuid", "2a19", "--capture", "-"], Exit = "rejected", Says = ["standard input", "unreadable"] },
        new() { Command = "decode", Input = "an over-long line among good ones", Arrange = Capture("c.hex", "10\n" + new string('0', 10_000) + "\n11\n"),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex"], Exit = "rejected", Says = ["c.hex", "1 unreadable line"] },
        new() { Command = "decode", Input = "unicode and escape sequences in a capture line", Arrange = Capture("c.hex", "10\n1\u00e9 \u001b[31m\n"),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex"], Exit = "usage", Says = ["is binary"] },
        new() { Command = "decode", Input = "unicode in a capture line", Arrange = Capture("c.hex", "10\n1\u00e9 2\u2028\n"),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex"], Exit = "rejected", Says = ["1 unreadable line"] },

        // Times a nanosecond timestamp cannot hold.
        new() { Command = "decode", Input = "receive time past 2262", Args = ["decode", "--uuid", "2a19", "--hex", "2300-01-01T00:00:00Z 55"],
                Exit = "rejected", Says = ["no notifications"] },
        new() { Command = "decode", Input = "receive time past 2262 among good lines", Arrange = Capture("c.hex", "10\n2300-01-01T00:00:00Z 55\n99999999999.5 56\n"),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex"], Exit = "rejected", Says = ["2 unreadable line"] },
        new() { Command = "decode", Input = "--start in the year 9999", Args = ["decode", "--uuid", "2a19", "--hex", "55", "--start", "9999-12-31T23:59:59Z"],
                Exit = "usage", Says = ["--start", "outside", "1678", "2262"] },
        new() { Command = "decode", Input = "--start before 1678", Args = ["decode", "--uuid", "2a19", "--hex", "55", "--start", "1600-01-01T00:00:00Z"],
                Exit = "usage", Says = ["--start", "outside"] },
        new() { Command = "decode", Input = "untimed lines spaced past the latest time", Arrange = Capture("c.hex", "10\n11\n12\n"),
                Args = ["decode", "--uuid", "2a19", "--capture", "c.hex", "--start", "2261-12-31T23:59:59Z"], Exit = "rejected", Says = ["1 unreadable line"] },
        new() { Command = "decode", Input = "--start garbage", Args = ["decode", "--uuid", "2a19", "--hex", "55", "--start", "yesterday"],
                Exit = "usage", Says = ["--start", "yesterday", "ISO 8601"] },
        new() { Command = "decode", Input = "--start with an escape sequence", Args = ["decode", "--uuid", "2a19", "--hex", "55", "--start", "\u001b[2J"],
                Exit = "usage", Says = ["--start", "\\u001b"] },

        // --hex values.
        new() { Command = "decode", Input = "unicode in --hex", Args = ["decode", "--uuid", "2a19", "--hex", "5\u00e9", "--hex", "\ud83d\ude00"],
                Exit = "rejected", Says = ["no notifications", "2 line(s) are unreadable"] },
        new() { Command = "decode", Input = "control characters in --hex", Args = ["decode", "--uuid", "2a19", "--hex", "55", "--hex", "5\u0007\u001b[31m"],
                Exit = "rejected", Says = ["1 unreadable line"] },
        new() { Command = "decode", Input = "huge --hex", Args = ["decode", "--uuid", "2a19", "--hex", new string('a', 100_000)],
                Exit = "rejected", Says = ["no notifications"] },
        new() { Command = "decode", Input = "empty --hex", Args = ["decode", "--uuid", "2a19", "--hex", ""],
                Exit = "rejected", Says = ["no notifications"] },
        new() { Command = "decode", Input = "a rejected notification", Args = ["decode", "--decoder", "battery-level", "--hex", "10", "--hex", "ff"],
                Exit = "rejected", Says = ["1 rejected", "listed above"] },
        new() { Command = "decode", Input = "a rejected notification with --out and --rejections", MayCreate = ["rows.jsonl", "rejected.jsonl"],
                Args = ["decode", "--decoder", "battery-level", "--hex", "10", "--hex", "ff", "--out", "rows.jsonl", "--rejections", "rejected.jsonl"],
                Exit = "rejected", Says = ["1 rejected", "rejected.jsonl"] },

        // Conflicting and incomplete options.
        new() { Command = "decode", Input = "--hex with --capture", Arrange = Capture("c.hex", "10\n"),
                Args = ["decode", "--uuid", "2a19", "--hex", "10", "--capture", "c.hex"], Exit = "usage", Says = ["--hex", "--capture", "one of them"] },
        new() { Command = "decode", Input = "no notifications given", Args = ["decode", "--uuid", "2a19"], Exit = "usage", Says = ["--hex", "--capture"] },
        new() { Command = "decode", Input = "--compression with csv", Args = ["decode", "--uuid", "2a19", "--hex", "10", "--format", "csv", "--compression", "zstd"],
                Exit = "usage", Says = ["--compression", "arrow"] },
        new() { Command = "decode", Input = "--values with arrow", Args = ["decode", "--uuid", "2a19", "--hex", "10", "--format", "arrow", "--out", "x.arrow", "--values", "stored"],
                Exit = "usage", Says = ["--values", "jsonl and csv"] },
        new() { Command = "decode", Input = "arrow without --out", Args = ["decode", "--uuid", "2a19", "--hex", "10", "--format", "arrow"],
                Exit = "usage", Says = ["--out"] },
        new() { Command = "decode", Input = "--stream without --profile", Args = ["decode", "--uuid", "2a19", "--hex", "10", "--stream", "ecg"],
                Exit = "usage", Says = ["--stream", "--profile"] },
        new() { Command = "decode", Input = "--profiles-dir without --profile", Args = ["decode", "--uuid", "2a19", "--hex", "10", "--profiles-dir", "."],
                Exit = "usage", Says = ["--profiles-dir", "--profile"] },
        new() { Command = "decode", Input = "two decoders", Args = ["decode", "--uuid", "2a19", "--decoder", "battery-level", "--hex", "10"],
                Exit = "usage", Says = ["exactly one of"] },
        new() { Command = "decode", Input = "--setting without '='", Args = ["decode", "--decoder", "battery-level", "--hex", "10", "--setting", "garbage"],
                Exit = "usage", Says = ["--setting", "key=value"] },
        new() { Command = "decode", Input = "--setting with an empty key", Args = ["decode", "--decoder", "battery-level", "--hex", "10", "--setting", "=5"],
                Exit = "usage", Says = ["--setting", "key=value"] },
        new() { Command = "decode", Input = "--setting unknown to the decoder", Args = ["decode", "--decoder", "battery-level", "--hex", "10", "--setting", "sampleRateHz=130"],
                Exit = "usage", Says = ["sampleRateHz"] },
        new() { Command = "decode", Input = "--uuid in unicode", Args = ["decode", "--uuid", "２a19", "--hex", "10"], Exit = "usage", Says = ["--uuid", "not a Bluetooth UUID"] },

        // Profiles.
        new() { Command = "decode", Input = "--profile that does not exist", Args = ["decode", "--profile", "no-such-tracker", "--hex", "10"],
                Exit = "usage", Says = ["--profile", "no-such-tracker", "profiles list"] },
        new() { Command = "decode", Input = "--profile a file that is not a profile", Arrange = Capture("c.hex", "16 48 00 04\n"),
                Args = ["decode", "--profile", "c.hex", "--hex", "10"], Exit = "usage", Says = ["--profile", "c.hex", "not a usable firmware profile"] },
        new() { Command = "decode", Input = "--profile a binary file", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "p.json"), [0x00, 0xFF, 0x1B, 0x7B]),
                Args = ["decode", "--profile", "p.json", "--hex", "10"], Exit = "usage", Says = ["--profile", "not a usable firmware profile"] },
        new() { Command = "decode", Input = "--profile a folder without profile.json", Arrange = dir => Directory.CreateDirectory(Path.Combine(dir, "my-tracker")),
                Args = ["decode", "--profile", "my-tracker", "--hex", "10"], Exit = "usage", Says = ["--profile", "profile.json"] },
        new() { Command = "decode", Input = "--profile with an unknown stream", Args = ["decode", "--profile", "{profiles}/polar-h10", "--stream", "nope", "--hex", "10"],
                Exit = "usage", Says = ["no stream 'nope'", "ecg"] },
        new() { Command = "decode", Input = "--profile with several streams and no --stream", Args = ["decode", "--profile", "{profiles}/polar-h10", "--hex", "10"],
                Exit = "usage", Says = ["--stream"] },
        new() { Command = "decode", Input = "--profiles-dir missing", Args = ["decode", "--profile", "polar-h10", "--profiles-dir", "nope", "--hex", "10"],
                Exit = "usage", Says = ["--profiles-dir", "does not exist"] },
        new() { Command = "decode", Input = "--profiles-dir is a file", Arrange = Capture("c.hex", "10\n"),
                Args = ["decode", "--profile", "polar-h10", "--profiles-dir", "c.hex", "--hex", "10"], Exit = "usage", Says = ["--profiles-dir", "is a file"] },

        // Ctrl+C while a long capture streams in: the rows so far are said to be incomplete.
        new() { Command = "decode", Input = "interrupted", Arrange = LongCapture("c.hex"), StandardInputFile = "c.hex", InterruptWhen = "battery_level_pct",
                Args = ["decode", "--uuid", "2a19", "--capture", "-"], Exit = "interrupted", Says = ["interrupted"] },
        new() { Command = "decode", Input = "interrupted while writing --out", Arrange = LongCapture("c.hex"), StandardInputFile = "c.hex", InterruptWhen = "standard input line 1:",
                Args = ["decode", "--uuid", "2a19", "--capture", "-", "--out", "rows.jsonl"], Exit = "interrupted", Says = ["interrupted", "was not written"] },
    ];

    private static Action<string> Capture(string name, string text) => dir => File.WriteAllText(Path.Combine(dir, name), text);

    private static Action<string> HugeCapture(string name) => dir =>
    {
        var chunk = Encoding.ASCII.GetBytes(new string('a', 1 << 20));
        using var file = File.Create(Path.Combine(dir, name));
        for (var i = 0; i < HugeCaptureMegabytes; i++)
        {
            file.Write(chunk);
        }
    };

    // Long enough (about 60 MB) that decoding it takes seconds: the interrupt arrives while it runs. The first line is
    // unreadable so that a message appears on stderr at once for the --out row.
    private static Action<string> LongCapture(string name) => dir =>
    {
        var block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("10\n", 1 << 16)));
        using var file = File.Create(Path.Combine(dir, name));
        file.Write("zz\n"u8);
        for (var i = 0; i < 300; i++)
        {
            file.Write(block);
        }
    };
}
