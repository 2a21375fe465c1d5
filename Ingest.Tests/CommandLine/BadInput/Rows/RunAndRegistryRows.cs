using System.Globalization;
using Ingest.Gateway.Registry;
using Ingest.Tests.Registry;

namespace Ingest.Tests.CommandLine.BadInput.Rows;

/// <summary>
/// <c>run</c> (all but its Broker:* options) and the registry commands: <c>scan</c>, <c>enroll</c>, <c>unenroll</c>,
/// <c>devices</c>, <c>audit verify|list</c>, <c>staff …</c>, <c>backup</c>. Rows run in the scratch folder, so the data
/// directory is its <c>./data</c> unless the row says otherwise; a registry is arranged there when the row needs one.
/// </summary>
[BadInputRows]
public static class RunAndRegistryRows
{
    /// <summary>A short simulated run without the web pages and the metrics endpoint (so no port is needed).</summary>
    private static readonly string[] s_quietRun = ["--simulate", "1", "--duration", "2s", "--web", "off", "--metrics", "off"];

    /// <summary>An environment whose D-Bus system bus is missing, so "no radio" is the same on every machine.</summary>
    private static readonly Dictionary<string, string> s_noBus = new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=/nonexistent" };

    private const string Password = "a long enough password";

    /// <summary>The rows.</summary>
    public static IEnumerable<BadInputCase> Cases() => [.. Run(), .. Scan(), .. Enroll(), .. Unenroll(), .. Devices(), .. Audit(), .. Staff(), .. Backup()];

    private static string[] QuietRun(params string[] more) => ["run", .. s_quietRun, .. more];

    private static IEnumerable<BadInputCase> Run() =>
    [
        new() { Command = "run", Input = "empty data directory", Args = QuietRun("--data-dir", ""), Exit = "usage", Says = ["--data-dir is empty"] },
        new() { Command = "run", Input = "data directory that is a file", Arrange = dir => File.WriteAllText(Path.Combine(dir, "f"), "x"),
                Args = QuietRun("--data-dir", "f"), Exit = "usage", Says = ["data directory 'f'", "is a file", "give a folder"] },
        new() { Command = "run", Input = "default data directory that is a file", Arrange = dir => File.WriteAllText(Path.Combine(dir, "data"), "x"),
                Args = QuietRun(), Exit = "usage", Says = ["data directory 'data' (default) is a file"] },
        new() { Command = "run", Input = "data directory that cannot be created", Args = QuietRun("--data-dir", "/proc/wi-data"), Exit = "usage",
                Says = ["/proc/wi-data", "cannot be created", "choose a folder"] },
        new() { Command = "run", Input = "data directory that cannot be written", Args = QuietRun("--data-dir", "/proc/self"), Exit = "usage",
                Says = ["/proc/self", "cannot be written"] },
        new() { Command = "run", Input = "missing configuration file", Args = QuietRun("--config", "nope.json"), Exit = "usage",
                Says = ["'nope.json' does not exist", "--config"] },
        new() { Command = "run", Input = "empty configuration file name", Args = QuietRun("--config", ""), Exit = "usage", Says = ["--config is empty"] },
        new() { Command = "run", Input = "configuration file that is a folder", Arrange = dir => Directory.CreateDirectory(Path.Combine(dir, "conf")),
                Args = QuietRun("--config", "conf"), Exit = "usage", Says = ["'conf'", "is a folder", "JSON file"] },
        new() { Command = "run", Input = "configuration file in the data directory that is a folder",
                Arrange = dir => Directory.CreateDirectory(Path.Combine(dir, "data", "wearable-ingest.json")),
                Args = QuietRun(), Exit = "usage", Says = ["wearable-ingest.json", "is a folder"] },
        new() { Command = "run", Input = "binary configuration file", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "c.json"), RandomBytes(4096)),
                Args = QuietRun("--config", "c.json"), Exit = "usage", Says = ["'c.json'", "not valid JSON at line"] },
        new() { Command = "run", Input = "huge configuration file", Arrange = dir => WriteSpaces(Path.Combine(dir, "c.json"), 300L << 20),
                Args = QuietRun("--config", "c.json"), Exit = "usage", Says = ["'c.json'", "larger than 1 MiB"] },
        new() { Command = "run", Input = "device file as configuration", Args = QuietRun("--config", "/dev/zero"), Exit = "usage", Says = ["larger than 1 MiB"] },
        new() { Command = "run", Input = "configuration file with invalid JSON", Arrange = dir => File.WriteAllText(Path.Combine(dir, "c.json"), "{ \"Hub\": { \"Id\": \n"),
                Args = QuietRun("--config", "c.json"), Exit = "usage", Says = ["not valid JSON at line"] },
        new() { Command = "run", Input = "configuration file nested too deep",
                Arrange = dir => File.WriteAllText(Path.Combine(dir, "c.json"), string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)),
                Args = QuietRun("--config", "c.json"), Exit = "usage", Says = ["nest deeper than 8 levels"] },
        new() { Command = "run", Input = "configuration file that is a JSON array", Arrange = dir => File.WriteAllText(Path.Combine(dir, "c.json"), "[1, 2]"),
                Args = QuietRun("--config", "c.json"), Exit = "usage", Says = ["holds a JSON array, not an object"] },
        new() { Command = "run", Input = "configuration file with an unknown key", Arrange = dir => File.WriteAllText(Path.Combine(dir, "c.json"), "{\"Hub\": {\"Idd\": \"x\"}}"),
                Args = QuietRun("--config", "c.json"), Exit = "usage", Says = ["unknown configuration key Hub:Idd", "did you mean Hub:Id"] },
        new() { Command = "run", Input = "--set without KEY=", Args = QuietRun("--set", "garbage"), Exit = "usage", Says = ["--set 'garbage'", "KEY=VALUE"] },
        new() { Command = "run", Input = "--set of an unknown key", Args = QuietRun("--set", "Foo:Bar=1"), Exit = "usage", Says = ["Foo:Bar is not a configuration key"] },
        new() { Command = "run", Input = "--set with an empty value", Args = QuietRun("--set", "Hub:Id="), Exit = "usage", Says = ["--set Hub:Id= has no value"] },
        new() { Command = "run", Input = "--set with a bad value", Args = QuietRun("--set", "Spool:CommitWindow=forever"), Exit = "usage",
                Says = ["Spool:CommitWindow is 'forever'", "--set Spool:CommitWindow"] },
        new() { Command = "run", Input = "--duration 0", Args = ["run", "--simulate", "1", "--duration", "0"], Exit = "usage", Says = ["--duration '0'", "positive duration"] },
        new() { Command = "run", Input = "negative --duration", Args = ["run", "--simulate", "1", "--duration", "-5"], Exit = "usage", Says = ["--duration '-5'"] },
        new() { Command = "run", Input = "huge --duration", Args = ["run", "--simulate", "1", "--duration", "1000000h"], Exit = "usage", Says = ["--duration '1000000h'", "longer than 720h"] },
        new() { Command = "run", Input = "--duration beyond any timer", Args = ["run", "--simulate", "1", "--duration", "99999999999999h"], Exit = "usage", Says = ["--duration '99999999999999h'"] },
        new() { Command = "run", Input = "garbage --duration", Args = ["run", "--simulate", "1", "--duration", "abc"], Exit = "usage", Says = ["--duration 'abc'", "500ms"] },
        new() { Command = "run", Input = "--simulate -1", Args = ["run", "--simulate", "-1"], Exit = "usage", Says = ["Simulator:Trackers is '-1' (from --simulate)", "from 1 to"] },
        new() { Command = "run", Input = "--simulate 0", Args = ["run", "--simulate", "0"], Exit = "usage", Says = ["Simulator:Trackers is '0'"] },
        new() { Command = "run", Input = "huge --simulate", Args = ["run", "--simulate", "99999999999"], Exit = "usage", Says = ["Simulator:Trackers is '99999999999'"] },
        new() { Command = "run", Input = "--simulate abc", Args = ["run", "--simulate", "abc"], Exit = "usage", Says = ["Simulator:Trackers is 'abc'", "whole number"] },
        new() { Command = "run", Input = "negative --seed", Args = ["run", "--simulate", "1", "--seed", "-1"], Exit = "usage", Says = ["Simulator:Seed is '-1'", "18446744073709551615"] },
        new() { Command = "run", Input = "--seed beyond 64 bits", Args = ["run", "--simulate", "1", "--seed", "18446744073709551616"], Exit = "usage", Says = ["Simulator:Seed"] },
        new() { Command = "run", Input = "--batch-rows 0", Args = QuietRun("--batch-rows", "0"), Exit = "usage", Says = ["Batching:MaxRows is '0' (from --batch-rows)"] },
        new() { Command = "run", Input = "--spool-max 1B", Args = QuietRun("--spool-max", "1B"), Exit = "usage", Says = ["Spool:MaxBytes is '1B' (from --spool-max)", "at least two segments"] },
        new() { Command = "run", Input = "garbage --web", Args = ["run", "--simulate", "1", "--web", "garbage"], Exit = "usage", Says = ["Web:Urls is 'garbage' (from --web)", "http://ADDRESS:PORT"] },
        new() { Command = "run", Input = "--web on a host name", Args = ["run", "--simulate", "1", "--web", "http://myhub.example:8080"], Exit = "usage",
                Says = ["Web:Urls", "an IP address, localhost or *"] },
        new() { Command = "run", Input = "--web on an impossible IP", Args = ["run", "--simulate", "1", "--web", "http://999.1.1.1:80"], Exit = "usage", Says = ["Web:Urls is 'http://999.1.1.1:80'"] },
        new() { Command = "run", Input = "--web port out of range", Args = ["run", "--simulate", "1", "--web", "http://127.0.0.1:99999"], Exit = "usage", Says = ["Web:Urls"] },
        new() { Command = "run", Input = "garbage --metrics", Args = ["run", "--simulate", "1", "--metrics", "ftp://x"], Exit = "usage", Says = ["Metrics:PrometheusUrls is 'ftp://x' (from --metrics)"] },
        new() { Command = "run", Input = "--web port in use", Args = ["run", "--simulate", "1", "--duration", "2s", "--metrics", "off", "--web", "http://{silent-broker}"],
                Exit = "ok", Says = ["web: cannot listen on", "pages are off", "summary after"], MayCreate = ["data"] },
        new() { Command = "run", Input = "--metrics port in use", Args = ["run", "--simulate", "1", "--duration", "2s", "--web", "off", "--metrics", "http://{silent-broker}"],
                Exit = "ok", Says = ["metrics: cannot listen on", "the Prometheus endpoint is off", "summary after"], MayCreate = ["data"] },
        new() { Command = "run", Input = "unicode hub id", Args = QuietRun("--hub-id", "hüb-✓"), Exit = "usage", Says = ["Hub:Id is 'hüb-✓' (from --hub-id)", "letters, digits"] },
        new() { Command = "run", Input = "unicode study", Args = QuietRun("--study", "stüdy"), Exit = "usage", Says = ["Hub:Study is 'stüdy'"] },
        new() { Command = "run", Input = "site with a topic separator", Args = QuietRun("--site", "a/b"), Exit = "usage", Says = ["Hub:Site is 'a/b'"] },
        new() { Command = "run", Input = "hub id with a control character", Args = QuietRun("--hub-id", "a\u0001b"), Exit = "usage", Says = ["Hub:Id is 'a\\u0001b'"] },
        new() { Command = "run", Input = "hub id of 70 kB", Args = QuietRun("--hub-id", new string('h', 70_000)), Exit = "usage", Says = ["Hub:Id is 'hhhh", "…'"] },
        new() { Command = "run", Input = "empty hub id", Args = QuietRun("--hub-id", ""), Exit = "usage", Says = ["--hub-id is empty"] },
        new() { Command = "run", Input = "missing profiles folder", Args = QuietRun("--profiles-dir", "nope"), Exit = "usage", Says = ["nope"] },
        new() { Command = "run", Input = "no D-Bus system bus", Args = ["run", "--web", "off", "--metrics", "off", "--duration", "5s"], Environment = s_noBus,
                Exit = "no-radio", Says = ["no Bluetooth radio", "DBUS_SYSTEM_BUS_ADDRESS", "--simulate"], MayCreate = ["data"] },
        new() { Command = "run", Input = "Ctrl+C", Args = ["run", "--simulate", "1", "--web", "off", "--metrics", "off"], InterruptWhen = "running; Ctrl+C",
                Exit = "ok", Says = ["stopping (Ctrl+C)", "summary after", "frames rejected"], MayCreate = ["data"] },
    ];

    private static IEnumerable<BadInputCase> Scan() =>
    [
        new() { Command = "scan", Input = "no D-Bus system bus", Args = ["scan", "--duration", "2s"], Environment = s_noBus, Exit = "no-radio",
                Says = ["no Bluetooth radio", "DBUS_SYSTEM_BUS_ADDRESS"] },
        new() { Command = "scan", Input = "--duration 0", Args = ["scan", "--duration", "0"], Environment = s_noBus, Exit = "usage", Says = ["--duration '0'", "from 1s to 10m"] },
        new() { Command = "scan", Input = "huge --duration", Args = ["scan", "--duration", "1000000h"], Environment = s_noBus, Exit = "usage", Says = ["--duration '1000000h'"] },
        new() { Command = "scan", Input = "garbage --duration", Args = ["scan", "--duration", "abc"], Environment = s_noBus, Exit = "usage", Says = ["--duration 'abc'"] },
        new() { Command = "scan", Input = "--simulate 0", Args = ["scan", "--simulate", "0", "--duration", "1s"], Exit = "usage", Says = ["--simulate"] },
        new() { Command = "scan", Input = "missing configuration file", Args = ["scan", "--config", "nope.json"], Environment = s_noBus, Exit = "usage", Says = ["'nope.json' does not exist"] },
        new() { Command = "scan", Input = "Ctrl+C", Args = ["scan", "--simulate", "1", "--duration", "1m"], InterruptWhen = "listening for", Exit = "ok", Says = ["tracker(s)"] },
    ];

    private static string[] EnrollArgs(string address = "C4:7C:8D:00:00:09", string participant = "P-0009", params string[] more) =>
        ["enroll", "--address", address, "--participant", participant, "--profile", "polar-h10", "--study", "S1", "--site", "site-7", "--reason", "baseline visit", .. more];

    private static IEnumerable<BadInputCase> Enroll() =>
    [
        new() { Command = "enroll", Input = "address that is not a MAC", Args = EnrollArgs(address: "nope"), Exit = "usage", Says = ["--address is not a Bluetooth address", "C4:7C:8D:6A:12:34"] },
        new() { Command = "enroll", Input = "empty address", Args = EnrollArgs(address: ""), Exit = "usage", Says = ["--address is not a Bluetooth address"] },
        new() { Command = "enroll", Input = "unicode address", Args = EnrollArgs(address: "ÄÄ:7C:8D:6A:12:34"), Exit = "usage", Says = ["--address is not a Bluetooth address"] },
        new() { Command = "enroll", Input = "resolvable private address as random", Args = EnrollArgs("70:81:94:0D:FB:AA", "P-0009", "--address-type", "random"), Exit = "usage",
                Says = ["resolvable private address", "--irk"] },
        new() { Command = "enroll", Input = "non-resolvable private address as random", Args = EnrollArgs("11:22:33:44:55:66", "P-0009", "--address-type", "random"), Exit = "usage",
                Says = ["private address, not an identity address"] },
        new() { Command = "enroll", Input = "bad address type", Args = EnrollArgs(more: ["--address-type", "static"]), Exit = "usage", Says = ["--address-type 'static'", "public or random"] },
        new() { Command = "enroll", Input = "garbage key", Args = EnrollArgs(more: ["--irk", "zz"]), Exit = "usage", Says = ["--irk", "32 hex digits"] },
        new() { Command = "enroll", Input = "unicode participant", Args = EnrollArgs(participant: "P-ü"), Exit = "usage", Says = ["--participant 'P-ü'", "not a valid participant pseudonym"] },
        new() { Command = "enroll", Input = "empty participant", Args = EnrollArgs(participant: ""), Exit = "usage", Says = ["--participant ''"] },
        new() { Command = "enroll", Input = "study with a wildcard",
                Args = ["enroll", "--address", "C4:7C:8D:00:00:09", "--participant", "P-1", "--profile", "polar-h10", "--study", "S#", "--site", "site-7", "--reason", "r"],
                Exit = "usage", Says = ["--study 'S#'", "not a valid study id"] },
        new() { Command = "enroll", Input = "site with a slash",
                Args = ["enroll", "--address", "C4:7C:8D:00:00:09", "--participant", "P-1", "--profile", "polar-h10", "--study", "S1", "--site", "a/b", "--reason", "r"],
                Exit = "usage", Says = ["--site 'a/b'"] },
        new() { Command = "enroll", Input = "unknown profile", Args = ["enroll", "--address", "C4:7C:8D:00:00:09", "--participant", "P-1", "--profile", "nope", "--study", "S1", "--site", "x", "--reason", "r"],
                Exit = "usage", Says = ["--profile 'nope'"] },
        new() { Command = "enroll", Input = "empty reason", Args = ["enroll", "--address", "C4:7C:8D:00:00:09", "--participant", "P-1", "--profile", "polar-h10", "--study", "S1", "--site", "x", "--reason", ""],
                Exit = "usage", Says = ["--reason is required"] },
        new() { Command = "enroll", Input = "a tracker enrolled already", Arrange = EnrolledRegistry, Args = EnrollArgs(RegistryTestSupport.Address(1), "P-0042"), Exit = "usage",
                Says = ["already participant P-0042's polar-h10 tracker", "nothing to do"] },
        new() { Command = "enroll", Input = "a participant with a tracker of that profile", Arrange = EnrolledRegistry, Args = EnrollArgs(participant: "P-0042"), Exit = "usage",
                Says = ["already has an active polar-h10 tracker", "--swap"] },
        new() { Command = "enroll", Input = "registry that is a folder", Arrange = RegistryFolder, Args = EnrollArgs(), Exit = "usage", Says = ["registry.db is a folder", "move it aside"] },
        new() { Command = "enroll", Input = "registry that is binary garbage", Arrange = GarbageRegistry, Args = EnrollArgs(), Exit = "usage", Says = ["is not a SQLite database"] },
        new() { Command = "enroll", Input = "registry of a newer schema", Arrange = NewerRegistry, Args = EnrollArgs(), Exit = "usage", Says = ["written by a newer wearable-ingest", "upgrade"] },
        new() { Command = "enroll", Input = "data directory that cannot be created", Args = EnrollArgs(more: ["--data-dir", "/proc/wi-data"]), Exit = "usage",
                Says = ["/proc/wi-data", "cannot be created"] },
        new() { Command = "enroll", Input = "data directory that is a file", Arrange = dir => File.WriteAllText(Path.Combine(dir, "f"), "x"),
                Args = EnrollArgs(more: ["--data-dir", "f"]), Exit = "usage", Says = ["data directory 'f'", "is a file"] },
    ];

    private static IEnumerable<BadInputCase> Unenroll() =>
    [
        new() { Command = "unenroll", Input = "no registry", Args = ["unenroll", "--device", "dev-aaaaaaaaaaaaaaaa", "--reason", "r"], Exit = "usage",
                Says = ["there is no registry at", "--data-dir"] },
        new() { Command = "unenroll", Input = "unknown device", Arrange = EnrolledRegistry, Args = ["unenroll", "--device", "dev-aaaaaaaaaaaaaaaa", "--reason", "r"], Exit = "usage",
                Says = ["dev-aaaaaaaaaaaaaaaa"] },
        new() { Command = "unenroll", Input = "device that is not a pseudonym", Arrange = EnrolledRegistry, Args = ["unenroll", "--device", "C4:7C:8D:00:00:01", "--reason", "r"], Exit = "usage",
                Says = ["is not a device pseudonym"] },
        new() { Command = "unenroll", Input = "unknown participant", Arrange = EnrolledRegistry, Args = ["unenroll", "--participant", "P-9", "--profile", "polar-h10", "--reason", "r"],
                Exit = "usage", Says = ["participant P-9 has no active polar-h10 tracker"] },
        new() { Command = "unenroll", Input = "participant without profile", Arrange = EnrolledRegistry, Args = ["unenroll", "--participant", "P-0042", "--reason", "r"],
                Exit = "usage", Says = ["--participant goes with --profile"] },
        new() { Command = "unenroll", Input = "empty reason", Arrange = EnrolledRegistry, Args = ["unenroll", "--participant", "P-0042", "--profile", "polar-h10", "--reason", ""],
                Exit = "usage", Says = ["--reason is required"] },
        new() { Command = "unenroll", Input = "registry that is a folder", Arrange = RegistryFolder, Args = ["unenroll", "--device", "dev-aaaaaaaaaaaaaaaa", "--reason", "r"],
                Exit = "usage", Says = ["is a folder"] },
    ];

    private static IEnumerable<BadInputCase> Devices() =>
    [
        new() { Command = "devices", Input = "registry that is a folder", Arrange = RegistryFolder, Args = ["devices"], Exit = "usage", Says = ["registry.db is a folder"] },
        new() { Command = "devices", Input = "registry that is binary garbage", Arrange = GarbageRegistry, Args = ["devices"], Exit = "usage", Says = ["is not a SQLite database"] },
        new() { Command = "devices", Input = "registry of a newer schema", Arrange = NewerRegistry, Args = ["devices", "--json"], Exit = "usage", Says = ["written by a newer wearable-ingest"] },
        new() { Command = "devices", Input = "empty data directory", Args = ["devices", "--data-dir", ""], Exit = "usage", Says = ["data directory is empty"] },
        new() { Command = "devices", Input = "data directory that is a file", Arrange = dir => File.WriteAllText(Path.Combine(dir, "f"), "x"),
                Args = ["devices", "--data-dir", "f"], Exit = "usage", Says = ["is a file"] },
        new() { Command = "devices", Input = "binary configuration file", Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "c.json"), RandomBytes(512)),
                Args = ["devices", "--config", "c.json"], Exit = "usage", Says = ["not valid JSON"] },
    ];

    private static IEnumerable<BadInputCase> Audit() =>
    [
        new() { Command = "audit verify", Input = "no registry", Args = ["audit", "verify"], Exit = "usage", Says = ["there is no registry at"] },
        new() { Command = "audit verify", Input = "garbage anchor", Args = ["audit", "verify", "--anchor", "zzz"], Exit = "usage", Says = ["--anchor must be SEQ:HASH"] },
        new() { Command = "audit verify", Input = "anchor with a short hash", Arrange = EnrolledRegistry, Args = ["audit", "verify", "--anchor", "1:abc"], Exit = "usage",
                Says = ["--anchor must be SEQ:HASH"] },
        new() { Command = "audit verify", Input = "an edited entry", Arrange = BrokenRegistry, Args = ["audit", "verify"], Exit = "broken",
                Says = ["audit trail BROKEN at seq 2", "edited"] },
        new() { Command = "audit verify", Input = "an anchor the trail does not extend", Arrange = EnrolledRegistry,
                Args = ["audit", "verify", "--anchor", "1:" + new string('a', 64)], Exit = "broken", Says = ["does NOT extend the anchor 1:aaaa"] },
        new() { Command = "audit verify", Input = "registry that is binary garbage", Arrange = GarbageRegistry, Args = ["audit", "verify"], Exit = "usage", Says = ["is not a SQLite database"] },
        new() { Command = "audit list", Input = "--limit 0", Arrange = EnrolledRegistry, Args = ["audit", "list", "--limit", "0"], Exit = "usage", Says = ["--limit '0'", "from 1 to 10000"] },
        new() { Command = "audit list", Input = "--limit abc", Arrange = EnrolledRegistry, Args = ["audit", "list", "--limit", "abc"], Exit = "usage", Says = ["--limit 'abc'"] },
        new() { Command = "audit list", Input = "huge --limit", Arrange = EnrolledRegistry, Args = ["audit", "list", "-n", "99999999999"], Exit = "usage", Says = ["--limit '99999999999'"] },
        new() { Command = "audit list", Input = "--since, which it does not have", Arrange = EnrolledRegistry, Args = ["audit", "list", "--since", "2026-01-01"], Exit = "usage",
                Says = ["--since"] },
        new() { Command = "audit list", Input = "no registry", Args = ["audit", "list"], Exit = "usage", Says = ["there is no registry at"] },
        new() { Command = "audit list", Input = "registry that is a folder", Arrange = RegistryFolder, Args = ["audit", "list", "--json"], Exit = "usage", Says = ["is a folder"] },
    ];

    private static IEnumerable<BadInputCase> Staff() =>
    [
        new() { Command = "staff add", Input = "unicode name", Args = ["staff", "add", "--name", "nürse", "--site", "site-7", "--password-stdin"], StandardInput = Password + "\n",
                Exit = "usage", Says = ["--name 'nürse' is not a valid staff name"] },
        new() { Command = "staff add", Input = "empty name", Args = ["staff", "add", "--name", "", "--site", "site-7", "--password-stdin"], StandardInput = Password + "\n",
                Exit = "usage", Says = ["--name ''"] },
        new() { Command = "staff add", Input = "site with a slash", Args = ["staff", "add", "--name", "nurse.b", "--site", "a/b", "--password-stdin"], StandardInput = Password + "\n",
                Exit = "usage", Says = ["--site 'a/b' is not a valid site id"] },
        new() { Command = "staff add", Input = "empty password on stdin", Args = ["staff", "add", "--name", "nurse.b", "--site", "site-7", "--password-stdin"],
                Exit = "usage", Says = ["--password-stdin", "standard input was empty"] },
        new() { Command = "staff add", Input = "short password", Args = ["staff", "add", "--name", "nurse.b", "--site", "site-7", "--password-stdin"], StandardInput = "short\n",
                Exit = "usage", Says = ["at least 12 characters"] },
        new() { Command = "staff add", Input = "no terminal for the password", Args = ["staff", "add", "--name", "nurse.b", "--site", "site-7"],
                Exit = "usage", Says = ["not a terminal", "--password-stdin"] },
        new() { Command = "staff add", Input = "a name that is taken", Arrange = StaffRegistry, Args = ["staff", "add", "--name", "nurse.jones", "--site", "site-7"],
                Exit = "usage", Says = ["'nurse.jones' exists already", "staff reset"] },
        new() { Command = "staff add", Input = "data directory that cannot be created",
                Args = ["staff", "add", "--name", "nurse.b", "--site", "site-7", "--password-stdin", "--data-dir", "/proc/wi-data"], StandardInput = Password + "\n",
                Exit = "usage", Says = ["/proc/wi-data", "cannot be created"] },
        new() { Command = "staff list", Input = "no registry", Args = ["staff", "list"], Exit = "usage", Says = ["there is no registry at", "staff add"] },
        new() { Command = "staff list", Input = "registry that is a folder", Arrange = RegistryFolder, Args = ["staff", "list"], Exit = "usage", Says = ["is a folder"] },
        new() { Command = "staff list", Input = "registry that is binary garbage", Arrange = GarbageRegistry, Args = ["staff", "list"], Exit = "usage", Says = ["is not a SQLite database"] },
        .. StaffChange("disable"),
        .. StaffChange("enable"),
        .. StaffChange("unlock"),
        new() { Command = "staff reset", Input = "nothing to reset", Arrange = StaffRegistry, Args = ["staff", "reset", "--name", "nurse.jones"], Exit = "usage",
                Says = ["say what to reset", "--new-code"] },
        new() { Command = "staff reset", Input = "unknown name", Arrange = StaffRegistry, Args = ["staff", "reset", "--name", "nobody", "--new-code"], Exit = "usage",
                Says = ["no staff member named 'nobody'"] },
        new() { Command = "staff reset", Input = "--password-stdin without --password", Arrange = StaffRegistry,
                Args = ["staff", "reset", "--name", "nurse.jones", "--new-code", "--password-stdin"], Exit = "usage", Says = ["add --password"] },
        new() { Command = "staff reset", Input = "short new password", Arrange = StaffRegistry, Args = ["staff", "reset", "--name", "nurse.jones", "--password", "--password-stdin"],
                StandardInput = "short\n", Exit = "usage", Says = ["at least 12 characters"] },
    ];

    private static IEnumerable<BadInputCase> StaffChange(string verb) =>
    [
        new() { Command = "staff " + verb, Input = "unknown name", Arrange = StaffRegistry, Args = ["staff", verb, "--name", "nobody"], Exit = "usage", Says = ["no staff member named 'nobody'"] },
        new() { Command = "staff " + verb, Input = "no name", Arrange = StaffRegistry, Args = ["staff", verb], Exit = "usage", Says = ["--name"] },
        new() { Command = "staff " + verb, Input = "unicode name", Arrange = StaffRegistry, Args = ["staff", verb, "--name", "nürse"], Exit = "usage", Says = ["'nürse'"] },
        new() { Command = "staff " + verb, Input = "no registry", Args = ["staff", verb, "--name", "nurse.jones"], Exit = "usage", Says = ["there is no registry at"] },
    ];

    private static IEnumerable<BadInputCase> Backup() =>
    [
        new() { Command = "backup", Input = "empty --out", Arrange = EnrolledRegistry, Args = ["backup", "--out", ""], Exit = "usage", Says = ["--out is empty"] },
        new() { Command = "backup", Input = "--out that exists", Arrange = dir => { EnrolledRegistry(dir); File.WriteAllText(Path.Combine(dir, "b.db"), "keep me"); },
                Args = ["backup", "--out", "b.db"], Exit = "usage", Says = ["b.db already exists", "never overwrites"] },
        new() { Command = "backup", Input = "--out that is a folder", Arrange = dir => { EnrolledRegistry(dir); Directory.CreateDirectory(Path.Combine(dir, "backups")); },
                Args = ["backup", "--out", "backups"], Exit = "usage", Says = ["backups is a folder", "registry-backup.db"] },
        new() { Command = "backup", Input = "--out equal to the registry", Arrange = EnrolledRegistry, Args = ["backup", "--out", "data/state/registry.db"], Exit = "usage",
                Says = ["is the registry itself"] },
        new() { Command = "backup", Input = "--out a link to the registry",
                Arrange = dir => { EnrolledRegistry(dir); File.CreateSymbolicLink(Path.Combine(dir, "link.db"), Path.Combine(dir, "data", "state", "registry.db")); },
                Args = ["backup", "--out", "link.db"], Exit = "usage", Says = ["link.db already exists"] },
        new() { Command = "backup", Input = "--out that cannot be written", Arrange = EnrolledRegistry, Args = ["backup", "--out", "/proc/wi-backup.db"], Exit = "usage",
                Says = ["/proc/wi-backup.db cannot be created"] },
        new() { Command = "backup", Input = "--out in a missing folder", Arrange = EnrolledRegistry, Args = ["backup", "--out", "nope/b.db"], Exit = "usage", Says = ["does not exist"] },
        new() { Command = "backup", Input = "no registry", Args = ["backup", "--out", "b.db"], Exit = "usage", Says = ["there is no registry at"] },
        new() { Command = "backup", Input = "registry that is a folder", Arrange = RegistryFolder, Args = ["backup", "--out", "b.db"], Exit = "usage", Says = ["is a folder"] },
    ];

    private static string RegistryPath(string dir) => EnrollmentRegistry.PathIn(Path.Combine(dir, "data"));

    /// <summary>A registry in ./data with participant P-0042's polar-h10 tracker (<see cref="RegistryTestSupport.Address"/> 1).</summary>
    private static void EnrolledRegistry(string dir)
    {
        using var registry = EnrollmentRegistry.Open(RegistryPath(dir), create: true);
        registry.Enroll(RegistryTestSupport.Request(RegistryTestSupport.Address(1)));
    }

    /// <summary>A registry in ./data with the staff account nurse.jones.</summary>
    private static void StaffRegistry(string dir)
    {
        using var registry = EnrollmentRegistry.Open(RegistryPath(dir), create: true);
        registry.AddStaff("nurse.jones", "site-7", Password, "coordinator", "test account");
    }

    /// <summary>A registry whose second audit entry was edited after it was written.</summary>
    private static void BrokenRegistry(string dir)
    {
        using (var registry = EnrollmentRegistry.Open(RegistryPath(dir), create: true))
        {
            registry.Enroll(RegistryTestSupport.Request(RegistryTestSupport.Address(1)));
            registry.Enroll(RegistryTestSupport.Request(RegistryTestSupport.Address(2), participant: "P-0043"));
        }

        RegistryTestSupport.Sql(RegistryPath(dir), "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone else' WHERE seq = 2");
    }

    private static void RegistryFolder(string dir) => Directory.CreateDirectory(RegistryPath(dir));

    private static void GarbageRegistry(string dir)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(RegistryPath(dir))!);
        File.WriteAllBytes(RegistryPath(dir), RandomBytes(8192));
    }

    /// <summary>A registry stamped with a schema version this build does not know.</summary>
    private static void NewerRegistry(string dir)
    {
        EnrolledRegistry(dir);
        RegistryTestSupport.Sql(RegistryPath(dir), string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {EnrollmentRegistry.SchemaVersion + 7}"));
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(12).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A file of <paramref name="bytes"/> spaces and no line break, written in pieces (never whole in memory).</summary>
    private static void WriteSpaces(string path, long bytes)
    {
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, (byte)' ');
        using var file = File.Create(path);
        for (long written = 0; written < bytes; written += chunk.Length)
        {
            file.Write(chunk, 0, (int)Math.Min(chunk.Length, bytes - written));
        }
    }
}
