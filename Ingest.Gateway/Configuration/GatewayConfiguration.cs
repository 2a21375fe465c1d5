using System.Globalization;
using System.Text;
using Ingest.Gateway.Cli;
using Ingest.Gateway.Radio;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Pipeline.Spool;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using MQTTnet.Formatter;

namespace Ingest.Gateway.Configuration;

/// <summary>
/// Reads the gateway's configuration the .NET way: a JSON file (<c>--config FILE</c>, else
/// <c>DATA_DIR/wearable-ingest.json</c> when present), then environment variables (<c>WEARABLE_INGEST_</c> prefix,
/// <c>__</c> between sections), then the command line, each overriding the one before. Every value is checked here;
/// a bad one, or a key nobody reads (a typo must not silently do nothing), fails with one line naming the key, where it
/// came from and what to change (<see cref="CliException"/>, exit code 2). Keys are documented in docs/configuration.md.
/// </summary>
internal static class GatewayConfiguration
{
    /// <summary>Prefix of the environment variables read (<c>WEARABLE_INGEST_BROKER__URL</c> is <c>Broker:Url</c>).</summary>
    public const string EnvironmentPrefix = "WEARABLE_INGEST_";

    /// <summary>Name of the configuration file looked for in the data directory.</summary>
    public const string DefaultFileName = "wearable-ingest.json";

    /// <summary>Default data directory: <c>./data</c>, beside where the hub was started, so a first run is easy to find.</summary>
    public const string DefaultDataDirectory = "data";

    /// <summary>Default study and site: the demo values, so a first run works without any configuration.</summary>
    public const string DefaultStudy = "demo";

    /// <summary>Default site.</summary>
    public const string DefaultSite = "site-1";

    /// <summary>
    /// Default health interval: 10 s. A dashboard sees a stalled hub (rates at 0, backlog growing) within 20 s, well before
    /// a participant would notice, while a hub sends only 8,640 small retained messages a day (about 1 % of one busy
    /// stream's batches at the 1 s batch age). A hub that dies is marked offline by its Will, not by a missed health message.
    /// </summary>
    public static readonly TimeSpan DefaultHealthInterval = TimeSpan.FromSeconds(10);

    /// <summary>Shortest health interval: below a second the rates are noise and the broker does needless work.</summary>
    public static readonly TimeSpan MinHealthInterval = TimeSpan.FromSeconds(1);

    /// <summary>Longest health interval: an hour; longer and the status says little about now.</summary>
    public static readonly TimeSpan MaxHealthInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// Most simulated trackers: <c>run --simulate</c> puts them behind the simulated radio, whose 8 adapters hold 32 links
    /// each (the supervisor's own per-adapter limit). Load beyond a hub's size is the pipeline harness's job.
    /// </summary>
    public const int MaxSimulatedTrackers = Pipeline.Simulation.Radio.SimulatedCentralOptions.MaxAdapters * RadioOptions.MaxConnectionsLimit;

    /// <summary>Smallest spool segment: one page; the spool's own lower bound (<see cref="SpoolOptions.Validate"/>).</summary>
    public const long MinSpoolSegmentBytes = 4096;

    /// <summary>Longest group-commit window: 10 s, the spool's own bound; longer only delays every batch's durability.</summary>
    public static readonly TimeSpan MaxSpoolCommitWindow = TimeSpan.FromSeconds(10);

    /// <summary>Every key the gateway reads. Anything else in the file or the environment is reported as unknown.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "DataDir", "Config", "Profiles:Directory",
        "Hub:Id", "Hub:Study", "Hub:Site",
        "Broker:Url", "Broker:Username", "Broker:Password", "Broker:CaFile", "Broker:CertFile", "Broker:KeyFile",
        "Broker:PinSha256", "Broker:TlsServerName", "Broker:MqttVersion", "Broker:ConnectTimeout",
        "Batching:MaxRows", "Batching:MaxAge", "Batching:Compression",
        "Spool:MaxBytes", "Spool:SegmentBytes", "Spool:CommitWindow",
        "Pipeline:ShutdownGrace", "Pipeline:RequireReceipts", "Pipeline:ReceiptTimeout", "Pipeline:ChannelCapacity",
        "Health:Interval",
        "Simulator:Trackers", "Simulator:Seed", "Simulator:Profiles",
        "Radio:Backend", "Radio:BusAddress", "Radio:MaxConnectionsPerAdapter", "Radio:ReconnectMaxDelay",
        "Radio:StreamStallTimeout", "Radio:AdvertisementSilence",
        "Web:Urls", "Web:SessionIdleTimeout",
        "Metrics:PrometheusUrls", "Metrics:OtlpEndpoint", "Metrics:OtlpProtocol", "Metrics:ExportInterval",
        "Participant:Language", "Participant:TrackerNotSeenAfter", "Participant:BatteryLowPercent", "Participant:HubOfflineAfter",
    ];

    /// <summary>Keys that may also be given as a JSON array (<c>"PinSha256": ["…", "…"]</c>).</summary>
    private static readonly string[] s_listKeys = ["Broker:PinSha256", "Simulator:Profiles", "Web:Urls", "Metrics:PrometheusUrls"];

    /// <summary>
    /// Resolves the settings. <paramref name="commandLine"/> holds the values given as options, by key;
    /// <paramref name="optionNames"/> says which option set each key (for messages).
    /// </summary>
    public static GatewaySettings Load(IReadOnlyDictionary<string, string?> commandLine, IReadOnlyDictionary<string, string> optionNames)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(optionNames);

        // The data directory and the file's name cannot come from the file itself.
        var early = new ConfigurationBuilder().AddEnvironmentVariables(EnvironmentPrefix).AddInMemoryCollection(commandLine).Build();
        var dataDirectory = early["DataDir"] is { Length: > 0 } dir ? dir : DefaultDataDirectory;
        var configFile = early["Config"];
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new CliException($"configuration file '{configFile}' does not exist ({Describe(early, "Config", null, optionNames)}); check the path or leave it out");
            }
        }
        else if (File.Exists(Path.Combine(dataDirectory, DefaultFileName)))
        {
            configFile = Path.Combine(dataDirectory, DefaultFileName);
        }

        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix).AddInMemoryCollection(commandLine);
        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            throw new CliException($"configuration file '{configFile}' is not valid JSON: {FirstLine(ex)}; fix it (keys are listed in docs/configuration.md)");
        }

        var reader = new Reader(root, configFile, optionNames);
        reader.RejectUnknownKeys();
        var settings = reader.Read(dataDirectory);
        return settings with { ConfigFile = configFile is null ? null : Path.GetFullPath(configFile), Sources = reader.Explicit() };
    }

    /// <summary>A hub id from the machine name: lower case, anything a topic level cannot hold replaced by '-', at most 64 characters.</summary>
    public static string HubIdFromMachineName(string machineName)
    {
        var builder = new StringBuilder(Math.Min(machineName.Length, 64));
        foreach (var c in machineName)
        {
            if (builder.Length == 64)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? char.ToLowerInvariant(c) : '-');
        }

        return builder.Length == 0 ? "hub" : builder.ToString();
    }

    /// <summary>The environment variable that sets <paramref name="key"/>.</summary>
    public static string EnvironmentVariableOf(string key) => EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    private static string Describe(IConfigurationRoot root, string key, string? configFile, IReadOnlyDictionary<string, string> optionNames)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.TryGet(key, out _))
            {
                return provider switch
                {
                    JsonConfigurationProvider => $"in {configFile}",
                    EnvironmentVariablesConfigurationProvider => "from " + EnvironmentVariableOf(key),
                    _ => optionNames.TryGetValue(key, out var option) ? "from " + option : "from the command line",
                };
            }
        }

        return "default";
    }

    private static string FirstLine(Exception ex)
    {
        var text = ex.InnerException?.Message ?? ex.Message;
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).TrimEnd('.', '\r');
    }

    /// <summary>Reads and checks each key; knows where each value came from.</summary>
    private sealed class Reader(IConfigurationRoot root, string? configFile, IReadOnlyDictionary<string, string> optionNames)
    {
        public void RejectUnknownKeys()
        {
            foreach (var provider in root.Providers)
            {
                if (provider is not (JsonConfigurationProvider or EnvironmentVariablesConfigurationProvider))
                {
                    continue;
                }

                foreach (var key in Leaves(provider, null))
                {
                    if (IsKnown(key))
                    {
                        continue;
                    }

                    var where = provider is JsonConfigurationProvider ? $"in {configFile}" : "from environment variable " + EnvironmentVariableOf(key);
                    var suggestion = Closest(key) is { } near ? $"; did you mean {near}?" : "; see docs/configuration.md for the keys";
                    throw new CliException($"unknown configuration key {key} ({where}): nothing reads it{suggestion}");
                }
            }
        }

        /// <summary>Every key with a value in <paramref name="provider"/> under <paramref name="parent"/>.</summary>
        private static IEnumerable<string> Leaves(IConfigurationProvider provider, string? parent)
        {
            foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var path = parent is null ? child : parent + ":" + child;
                if (provider.TryGet(path, out var value) && value is not null)
                {
                    yield return path;
                }

                foreach (var leaf in Leaves(provider, path))
                {
                    yield return leaf;
                }
            }
        }

        public GatewaySettings Read(string dataDirectory)
        {
            var hubId = String("Hub:Id") ?? HubIdFromMachineName(Environment.MachineName);
            var study = String("Hub:Study") ?? DefaultStudy;
            var site = String("Hub:Site") ?? DefaultSite;
            var requireReceipts = Bool("Pipeline:RequireReceipts") ?? false;
            var ingest = new IngestOptions
            {
                HubId = hubId,
                Study = study,
                Site = site,
                BatchMaxRows = Int("Batching:MaxRows") ?? IngestOptions.DefaultBatchMaxRows,
                BatchMaxAge = Duration("Batching:MaxAge") ?? IngestOptions.DefaultBatchMaxAge,
                ChannelCapacity = Int("Pipeline:ChannelCapacity") ?? IngestOptions.DefaultChannelCapacity,
                ShutdownGrace = Duration("Pipeline:ShutdownGrace") ?? IngestOptions.DefaultShutdownGrace,
                RequireReceipts = requireReceipts,
                ReceiptTimeout = Duration("Pipeline:ReceiptTimeout") ?? IngestOptions.DefaultReceiptTimeout,
            };
            try
            {
                ingest.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliException(WithSource(ex));
            }

            var compressionText = String("Batching:Compression");
            var encoding = BatchEncodingOptions.Default;
            if (compressionText is not null)
            {
                if (!BatchEncodingOptions.TryParseCompression(compressionText, out var compression))
                {
                    throw Bad("Batching:Compression", $"use one of {BatchEncodingOptions.CompressionNames}");
                }

                encoding = new BatchEncodingOptions { Compression = compression.Value };
            }

            var spool = ReadSpool(dataDirectory, requireReceipts);
            var broker = ReadBroker(hubId);
            if (requireReceipts && broker is null)
            {
                throw Bad("Pipeline:RequireReceipts", "receipts come from the platform over MQTT: set Broker:Url too, or set this to false");
            }

            var health = Duration("Health:Interval") ?? DefaultHealthInterval;
            if (health < MinHealthInterval || health > MaxHealthInterval)
            {
                throw Bad("Health:Interval", $"set it from {ValueText.Duration(MinHealthInterval)} to {ValueText.Duration(MaxHealthInterval)}");
            }

            var trackers = Int("Simulator:Trackers") ?? SimulatedFleetOptions.DefaultTrackerCount;
            if (trackers is < 1 or > MaxSimulatedTrackers)
            {
                throw Bad("Simulator:Trackers", $"set it from 1 to {MaxSimulatedTrackers}");
            }

            var seedText = String("Simulator:Seed");
            var seed = SimulatedFleetOptions.DefaultSeed;
            if (seedText is not null && !ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
            {
                throw Bad("Simulator:Seed", $"use a whole number from 0 to {ulong.MaxValue}");
            }

            var profiles = List("Simulator:Profiles");
            var (backend, radio, busAddress) = ReadRadio();
            return new GatewaySettings
            {
                DataDirectory = Path.GetFullPath(dataDirectory),
                ProfilesDirectory = String("Profiles:Directory"),
                Ingest = ingest,
                Spool = spool,
                Encoding = encoding,
                Broker = broker,
                HealthInterval = health,
                Simulator = new SimulatedFleetOptions { TrackerCount = trackers, Seed = seed, ProfileIds = profiles },
                RadioBackend = backend,
                Radio = radio,
                BusAddress = busAddress,
                Web = ReadWeb(),
                Metrics = ReadMetrics(),
                Participant = ReadParticipant(),
            };
        }

        /// <summary>The web pages: where they listen (or <c>off</c>) and how long a nurse's session lasts idle.</summary>
        private Web.WebOptions ReadWeb()
        {
            var idle = Duration("Web:SessionIdleTimeout") ?? new Web.WebOptions().SessionIdleTimeout;
            if (idle < Web.WebOptions.MinSessionIdleTimeout || idle > Web.WebOptions.MaxSessionIdleTimeout)
            {
                throw Bad("Web:SessionIdleTimeout", $"set it from {ValueText.Duration(Web.WebOptions.MinSessionIdleTimeout)} to {ValueText.Duration(Web.WebOptions.MaxSessionIdleTimeout)}");
            }

            return new Web.WebOptions { Urls = ListenUrls("Web:Urls") ?? [Web.WebOptions.DefaultUrl], SessionIdleTimeout = idle };
        }

        /// <summary>Metrics: the Prometheus endpoint's address (or <c>off</c>) and the OTLP collector, if any.</summary>
        private Telemetry.MetricsOptions ReadMetrics()
        {
            var defaults = new Telemetry.MetricsOptions();
            Uri? otlp = null;
            if (String("Metrics:OtlpEndpoint") is { } endpoint)
            {
                if (!Uri.TryCreate(endpoint, UriKind.Absolute, out otlp) || otlp.Scheme is not ("http" or "https") || otlp.Host.Length == 0)
                {
                    throw Bad("Metrics:OtlpEndpoint", "give the collector's http:// or https:// address, e.g. http://collector.example.org:4318");
                }
            }

            var protocol = String("Metrics:OtlpProtocol") ?? defaults.OtlpProtocol;
            if (protocol is not ("grpc" or "http/protobuf"))
            {
                throw Bad("Metrics:OtlpProtocol", "use grpc (port 4317) or http/protobuf (port 4318)");
            }

            var interval = Duration("Metrics:ExportInterval") ?? defaults.ExportInterval;
            if (interval < Telemetry.MetricsOptions.MinExportInterval || interval > Telemetry.MetricsOptions.MaxExportInterval)
            {
                throw Bad("Metrics:ExportInterval", $"set it from {ValueText.Duration(Telemetry.MetricsOptions.MinExportInterval)} to {ValueText.Duration(Telemetry.MetricsOptions.MaxExportInterval)}");
            }

            return new Telemetry.MetricsOptions
            {
                PrometheusUrls = ListenUrls("Metrics:PrometheusUrls") ?? [Telemetry.MetricsOptions.DefaultPrometheusUrl],
                OtlpEndpoint = otlp,
                OtlpProtocol = protocol,
                ExportInterval = interval,
            };
        }

        /// <summary>The participant page's language and the thresholds of its states.</summary>
        private Web.Participant.ParticipantOptions ReadParticipant()
        {
            var defaults = new Web.Participant.ParticipantOptions();
            var language = String("Participant:Language") ?? defaults.Language;
            if (!Web.Participant.ParticipantOptions.Languages.Contains(language))
            {
                throw Bad("Participant:Language", $"use one of {string.Join(", ", Web.Participant.ParticipantOptions.Languages)}");
            }

            var battery = Int("Participant:BatteryLowPercent") ?? defaults.BatteryLowPercent;
            if (battery is < 0 or > 100)
            {
                throw Bad("Participant:BatteryLowPercent", "set a percentage from 0 to 100");
            }

            var notSeen = Duration("Participant:TrackerNotSeenAfter") ?? defaults.TrackerNotSeenAfter;
            var offline = Duration("Participant:HubOfflineAfter") ?? defaults.HubOfflineAfter;
            foreach (var (key, value) in new[] { ("Participant:TrackerNotSeenAfter", notSeen), ("Participant:HubOfflineAfter", offline) })
            {
                if (value < TimeSpan.FromMinutes(1) || value > TimeSpan.FromDays(7))
                {
                    throw Bad(key, "set it from 1m to 7d");
                }
            }

            return new Web.Participant.ParticipantOptions { Language = language, BatteryLowPercent = battery, TrackerNotSeenAfter = notSeen, HubOfflineAfter = offline };
        }

        /// <summary>
        /// Listen addresses: <c>off</c> (none), or comma-separated <c>http://HOST:PORT</c> (IP literals, <c>localhost</c>, or
        /// <c>*</c>; port 0 picks a free one). Null when not set.
        /// </summary>
        private string[]? ListenUrls(string key)
        {
            var values = List(key);
            if (values is null)
            {
                return null;
            }

            if (values is ["off"])
            {
                return [];
            }

            foreach (var value in values)
            {
                var normalized = value.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
                if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme != "http" || uri.AbsolutePath != "/"
                    || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
                {
                    throw Bad(key, "give http://ADDRESS:PORT (e.g. http://0.0.0.0:8080; port 0 picks a free one), several separated by commas, or off");
                }
            }

            return values.Select(static v => v.TrimEnd('/')).ToArray();
        }

        /// <summary>
        /// The radio: BlueZ by default; the simulator when <c>Radio:Backend</c> says so, or when only
        /// <c>Simulator:Trackers</c> is given (<c>--simulate N</c>).
        /// </summary>
        private (RadioBackend Backend, RadioOptions Options, string? BusAddress) ReadRadio()
        {
            var backendText = String("Radio:Backend");
            RadioBackend backend;
            if (backendText is null)
            {
                backend = root["Simulator:Trackers"] is null ? RadioBackend.BlueZ : RadioBackend.Simulator;
            }
            else if (!Enum.TryParse(backendText, ignoreCase: true, out backend) || !Enum.IsDefined(backend) || int.TryParse(backendText, out _))
            {
                throw Bad("Radio:Backend", "use bluez (the hub's Bluetooth adapter) or simulator (virtual trackers)");
            }

            var options = new RadioOptions
            {
                MaxConnectionsPerAdapter = Int("Radio:MaxConnectionsPerAdapter") ?? RadioOptions.DefaultMaxConnectionsPerAdapter,
                ReconnectMaxDelay = Duration("Radio:ReconnectMaxDelay") ?? new RadioOptions().ReconnectMaxDelay,
                StreamStallTimeout = Duration("Radio:StreamStallTimeout") ?? new RadioOptions().StreamStallTimeout,
                AdvertisementSilence = Duration("Radio:AdvertisementSilence") ?? new RadioOptions().AdvertisementSilence,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliException(WithSource(ex));
            }

            var bus = String("Radio:BusAddress");
            if (bus is not null && !bus.StartsWith("unix:", StringComparison.Ordinal) && !bus.StartsWith("tcp:", StringComparison.Ordinal))
            {
                throw Bad("Radio:BusAddress", "give a D-Bus address such as unix:path=/var/run/dbus/system_bus_socket (or leave it out for the system bus)");
            }

            return (backend, options, bus);
        }

        /// <summary>Every key given a value, with the value (secrets masked) and where it came from.</summary>
        public ConfiguredValue[] Explicit()
        {
            var values = new List<ConfiguredValue>();
            foreach (var key in Keys)
            {
                var value = root[key] ?? (List(key) is { } list ? string.Join(",", list) : null);
                if (value is not null)
                {
                    var shown = key.EndsWith("Password", StringComparison.Ordinal) ? "********" : value;
                    values.Add(new ConfiguredValue(key, shown, root[key] is null ? Source(key + ":0") : Source(key)));
                }
            }

            return [.. values];
        }

        /// <summary>Where <paramref name="key"/>'s value came from: "in FILE", "from WEARABLE_INGEST_…", "from --option".</summary>
        public string Source(string key) => Describe(root, key, configFile, optionNames);

        private SpoolOptions ReadSpool(string dataDirectory, bool requireReceipts)
        {
            var segment = Size("Spool:SegmentBytes") ?? SpoolOptions.DefaultSegmentBytes;
            if (segment < MinSpoolSegmentBytes || segment > SpoolLimits.MaxSegmentBytes)
            {
                throw Bad("Spool:SegmentBytes", $"set it from {ValueText.Size(MinSpoolSegmentBytes)} to {ValueText.Size(SpoolLimits.MaxSegmentBytes)}");
            }

            var max = Size("Spool:MaxBytes") ?? SpoolOptions.DefaultMaxTotalBytes;
            if (max < 2 * segment)
            {
                // The active segment is never reclaimed, so a second one must fit for released space to help.
                throw Bad("Spool:MaxBytes", $"set it to at least two segments ({ValueText.Size(2 * segment)} with Spool:SegmentBytes {ValueText.Size(segment)})");
            }

            var window = Duration("Spool:CommitWindow") ?? SpoolOptions.DefaultCommitWindow;
            if (window < TimeSpan.Zero || window > MaxSpoolCommitWindow)
            {
                throw Bad("Spool:CommitWindow", $"set it from 0ms to {ValueText.Duration(MaxSpoolCommitWindow)}");
            }

            var options = new SpoolOptions
            {
                Directory = Path.Combine(Path.GetFullPath(dataDirectory), "spool"),
                SegmentBytes = segment,
                MaxTotalBytes = max,
                CommitWindow = window,
                ReleaseMode = requireReceipts ? SpoolReleaseMode.PlatformReceipt : SpoolReleaseMode.PublishAcknowledged,
            };
            options.Validate();
            return options;
        }

        private MqttPublisherOptions? ReadBroker(string hubId)
        {
            var url = String("Broker:Url");
            var tlsKeys = new[] { "Broker:CaFile", "Broker:CertFile", "Broker:KeyFile", "Broker:PinSha256", "Broker:TlsServerName" };
            if (url is null)
            {
                foreach (var key in (string[])["Broker:Username", "Broker:Password", .. tlsKeys])
                {
                    if (root[key] is not null || List(key) is not null)
                    {
                        throw BadBroker(key, "it has no effect without a broker: set Broker:Url (--broker) too, or remove it");
                    }
                }

                return null;
            }

            if (!MqttBrokerUrl.TryParse(url, out var broker, out var error))
            {
                throw BadBroker("Broker:Url", error);
            }

            MqttTlsSettings? tls = null;
            if (broker.UsesTls)
            {
                try
                {
                    tls = MqttTlsSettings.FromFiles(String("Broker:CaFile"), String("Broker:CertFile"), String("Broker:KeyFile"), List("Broker:PinSha256"), String("Broker:TlsServerName"));
                }
                catch (MqttOptionsException ex)
                {
                    throw BrokerProblem(ex);
                }
            }
            else
            {
                foreach (var key in tlsKeys)
                {
                    if (root[key] is not null || List(key) is not null)
                    {
                        throw BadBroker(key, $"{broker} is not encrypted: use mqtts:// or wss:// in Broker:Url for TLS, or remove it");
                    }
                }
            }

            var version = String("Broker:MqttVersion") ?? "5";
            if (version is not ("5" or "3.1.1"))
            {
                throw BadBroker("Broker:MqttVersion", "use 5 (falls back to 3.1.1 when the broker needs it) or 3.1.1");
            }

            var connectTimeout = Duration("Broker:ConnectTimeout") ?? MqttPublisherOptions.DefaultConnectTimeout;
            if (connectTimeout < MqttPublisherOptions.MinimumConnectTimeout || connectTimeout > MqttPublisherOptions.MaximumConnectTimeout)
            {
                throw BadBroker("Broker:ConnectTimeout", $"set it from {ValueText.Duration(MqttPublisherOptions.MinimumConnectTimeout)} to {ValueText.Duration(MqttPublisherOptions.MaximumConnectTimeout)}");
            }

            var options = new MqttPublisherOptions
            {
                Broker = broker,
                // Client ids allow no '.', which hub ids may contain; the hub id itself is in every topic and property.
                ClientId = "wi-" + hubId.Replace('.', '-'),
                UserName = String("Broker:Username"),
                Password = String("Broker:Password"),
                Tls = tls,
                ProtocolVersion = version == "3.1.1" ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500,
                ConnectTimeout = connectTimeout,
            };
            try
            {
                options.Validate();
            }
            catch (MqttOptionsException ex)
            {
                throw BrokerProblem(ex);
            }

            return options;
        }

        /// <summary>The Broker:* key (or Hub:Id) behind each option the MQTT layer names in its messages.</summary>
        private static readonly Dictionary<string, string> s_brokerKeyOfOption = new(StringComparer.Ordinal)
        {
            ["--broker"] = "Broker:Url", ["--username"] = "Broker:Username", ["--password"] = "Broker:Password",
            ["--ca-file"] = "Broker:CaFile", ["--cert-file"] = "Broker:CertFile", ["--key-file"] = "Broker:KeyFile",
            ["--pin-sha256"] = "Broker:PinSha256", ["--tls-server-name"] = "Broker:TlsServerName",
            // The client id is "wi-" + the hub id: a hub id MQTT cannot carry is the hub id's problem.
            ["--client-id"] = "Hub:Id",
        };

        /// <summary>An MQTT-layer problem as a configuration error: the key, where its value came from, what to change.</summary>
        private CliException BrokerProblem(MqttOptionsException ex)
        {
            if (ex.Setting is { } setting && ex.Problem is { } problem && s_brokerKeyOfOption.TryGetValue(setting, out var key))
            {
                var detail = key == "Hub:Id" ? "it becomes the MQTT client id: " + problem : problem;
                return new CliException($"{key} ({Source(key)}): {detail}");
            }

            return new CliException($"Broker:Url ({Source("Broker:Url")}): {ex.Message}");
        }

        /// <summary>
        /// As <see cref="Bad"/>, for Broker:* keys: a password is never shown, nor a URL that holds credentials, and
        /// long values are quoted in part.
        /// </summary>
        private CliException BadBroker(string key, string change)
        {
            var written = root[key] ?? string.Join(",", List(key) ?? []);
            var shown = key == "Broker:Password" || (key == "Broker:Url" && written.Contains('@', StringComparison.Ordinal))
                ? "(not shown)"
                : MqttOptionText.Quote(written);
            var source = root[key] is null && List(key) is not null ? Source(key + ":0") : Source(key);
            return new CliException($"{key} is {shown} ({source}); {change}");
        }

        private string? String(string key) => root[key] is { } value && value.Trim().Length > 0 ? value.Trim() : null;

        private string[]? List(string key)
        {
            if (String(key) is { } joined)
            {
                return joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }

            var items = root.GetSection(key).GetChildren().Select(static c => c.Value).OfType<string>().ToArray();
            return items.Length == 0 ? null : items;
        }

        private int? Int(string key)
        {
            var text = String(key);
            if (text is null)
            {
                return null;
            }

            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value : throw Bad(key, "use a whole number");
        }

        private bool? Bool(string key)
        {
            var text = String(key);
            if (text is null)
            {
                return null;
            }

            return bool.TryParse(text, out var value) ? value : throw Bad(key, "use true or false");
        }

        private TimeSpan? Duration(string key)
        {
            var text = String(key);
            if (text is null)
            {
                return null;
            }

            return ValueText.TryParseDuration(text, out var value) ? value : throw Bad(key, "use " + ValueText.DurationForms);
        }

        private long? Size(string key)
        {
            var text = String(key);
            if (text is null)
            {
                return null;
            }

            return ValueText.TryParseSize(text, out var value) ? value : throw Bad(key, "use " + ValueText.SizeForms);
        }

        private CliException Bad(string key, string change) =>
            new($"{key} is '{root[key] ?? string.Join(",", List(key) ?? [])}' ({(root[key] is null && List(key) is not null ? Source(key + ":0") : Source(key))}); {change}");

        /// <summary>Puts the source after the value in a message of the form "Key is value; set it …".</summary>
        private string WithSource(ArgumentException ex)
        {
            var message = ex.ParamName is { } param ? ex.Message.Replace($" (Parameter '{param}')", "", StringComparison.Ordinal) : ex.Message;
            var space = message.IndexOf(' ', StringComparison.Ordinal);
            var semicolon = message.IndexOf(';', StringComparison.Ordinal);
            if (space <= 0 || semicolon <= space)
            {
                return message;
            }

            var key = message[..space];
            // Show the value as the person wrote it ("5ms"), not as the options print it ("00:00:00.0050000").
            var head = root[key] is { } written ? $"{key} is '{written}'" : message[..semicolon];
            return $"{head} ({Source(key)}){message[semicolon..]}";
        }

        private static bool IsKnown(string key)
        {
            foreach (var known in Keys)
            {
                if (string.Equals(known, key, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            foreach (var list in s_listKeys)
            {
                // An array element: Broker:PinSha256:0.
                if (key.Length > list.Length + 1 && key.StartsWith(list + ":", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(key.AsSpan(list.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return true;
                }
            }

            return false;
        }

        private static string? Closest(string key)
        {
            string? best = null;
            var bestDistance = int.MaxValue;
            foreach (var known in Keys)
            {
                var distance = Distance(key.ToUpperInvariant(), known.ToUpperInvariant());
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (known, distance);
                }
            }

            // Beyond a few edits it is not a typo of that key.
            return bestDistance <= Math.Max(2, key.Length / 4) ? best : null;
        }

        private static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                }

                (previous, current) = (current, previous);
            }

            return previous[b.Length];
        }
    }
}
