using System.CommandLine;
using System.Globalization;
using Ingest.Pipeline.Publishing.Mqtt;
using MQTTnet.Formatter;

namespace Ingest.Gateway.Cli;

/// <summary>
/// The broker options <c>broker check</c> and <c>receive</c> share (<c>run</c> reads the same values as Broker:* keys in
/// GatewayConfiguration). <see cref="Read"/> checks every one of them before anything connects: the address, the TLS
/// files and pins, the user name and password against MQTT's limits, and refuses TLS options on an unencrypted address
/// rather than ignoring them.
/// </summary>
internal sealed class BrokerOptions
{
    private BrokerOptions(string brokerDescription)
    {
        Broker = new Option<string>("--broker") { Description = brokerDescription, Required = true };
        UserName = new Option<string?>("--username") { Description = "User name for the broker" };
        Password = new Option<string?>("--password") { Description = "Password for the broker (better: set WEARABLE_MQTT_PASSWORD, which process lists do not show)" };
        CaFile = new Option<string?>("--ca-file") { Description = "PEM file with the certificate authority that signed the broker's certificate" };
        CertFile = new Option<string?>("--cert-file") { Description = "PEM client certificate, for brokers that require one (mutual TLS); its key in --key-file or in the same file" };
        KeyFile = new Option<string?>("--key-file") { Description = "PEM private key of the client certificate (needs --cert-file)" };
        Pins = new Option<string[]>("--pin-sha256")
        {
            Description = "Expected SHA-256 of the broker's public key: 64 hex digits (colons allowed) or 44 base64 characters; may be repeated",
            AllowMultipleArgumentsPerToken = true,
        };
        ServerName = new Option<string?>("--tls-server-name") { Description = "Name expected on the broker's certificate, if different from the host" };
        Version = new Option<string>("--mqtt-version") { Description = "5 (falls back to 3.1.1 when the broker needs it) or 3.1.1", DefaultValueFactory = _ => "5" };
        Version.Validators.Add(static result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "5";
            if (text is not ("5" or "3.1.1"))
            {
                result.AddError($"--mqtt-version {MqttOptionText.Quote(text)} is not a version this hub speaks; give 5 (falls back to 3.1.1 when the broker needs it) or 3.1.1");
            }
        });
    }

    /// <summary>Environment variable read when <c>--password</c> is not given.</summary>
    public const string PasswordVariable = "WEARABLE_MQTT_PASSWORD";

    public Option<string> Broker { get; }

    public Option<string?> UserName { get; }

    public Option<string?> Password { get; }

    public Option<string?> CaFile { get; }

    public Option<string?> CertFile { get; }

    public Option<string?> KeyFile { get; }

    public Option<string[]> Pins { get; }

    public Option<string?> ServerName { get; }

    public Option<string> Version { get; }

    /// <summary>Every option, to add to a command.</summary>
    public IEnumerable<Option> All => [Broker, UserName, Password, CaFile, CertFile, KeyFile, Pins, ServerName, Version];

    public static BrokerOptions Create(string brokerDescription) => new(brokerDescription);

    /// <summary>
    /// Reads and checks the options. Throws <see cref="MqttOptionsException"/> naming the option and what to change
    /// (the message never repeats a password and quotes long values only in part).
    /// </summary>
    public BrokerSettings Read(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        if (!MqttBrokerUrl.TryParse(parseResult.GetValue(Broker), out var broker, out var addressError))
        {
            throw new MqttOptionsException("--broker", addressError);
        }

        var userName = parseResult.GetValue(UserName);
        if (userName is not null && MqttPublisherOptions.ProblemWithUserName(userName) is { } userProblem)
        {
            throw new MqttOptionsException("--username", userProblem);
        }

        var password = parseResult.GetValue(Password) ?? Environment.GetEnvironmentVariable(PasswordVariable);
        if (password is not null && MqttPublisherOptions.ProblemWithPassword(password) is { } passwordProblem)
        {
            throw new MqttOptionsException(parseResult.GetValue(Password) is null ? PasswordVariable : "--password", passwordProblem);
        }

        if (password is not null && userName is null)
        {
            throw new MqttOptionsException("--password", "was given without a user name; pass --username as well");
        }

        var caFile = parseResult.GetValue(CaFile);
        var certFile = parseResult.GetValue(CertFile);
        var keyFile = parseResult.GetValue(KeyFile);
        var pins = parseResult.GetValue(Pins) ?? [];
        var serverName = parseResult.GetValue(ServerName);
        MqttTlsSettings? tls = null;
        if (broker.UsesTls)
        {
            tls = MqttTlsSettings.FromFiles(caFile, certFile, keyFile, pins, serverName);
        }
        else
        {
            // Accepting them and connecting without TLS would let a person believe the connection is encrypted.
            foreach (var (option, given) in (ReadOnlySpan<(string, bool)>)[("--ca-file", caFile is not null), ("--cert-file", certFile is not null),
                ("--key-file", keyFile is not null), ("--pin-sha256", pins.Length > 0), ("--tls-server-name", serverName is not null)])
            {
                if (given)
                {
                    throw new MqttOptionsException(option, $"has no effect for {broker} (not encrypted); use mqtts:// or wss:// to connect with TLS, or leave it out");
                }
            }
        }

        var version = parseResult.GetValue(Version) == "3.1.1" ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500;
        return new BrokerSettings(broker, userName, password, tls, version);
    }

    /// <summary>
    /// An option holding a number of seconds from <paramref name="minimum"/> to <paramref name="maximum"/>; anything else
    /// is a usage error naming the option and the range (checked while parsing, before the command runs).
    /// </summary>
    public static Option<double?> Seconds(string name, string description, double minimum, double maximum, bool minimumExclusive = false)
    {
        var range = minimumExclusive
            ? $"more than {minimum.ToString(CultureInfo.InvariantCulture)} and at most {maximum.ToString("#,0.###", CultureInfo.InvariantCulture)} seconds"
            : $"{minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString("#,0.###", CultureInfo.InvariantCulture)} seconds";
        return new Option<double?>(name)
        {
            Description = $"{description} ({range})",
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return null;
                }

                var text = result.Tokens[0].Value;
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    result.AddError($"{name} {MqttOptionText.Quote(text)} is not a number of seconds; give {range}");
                    return null;
                }

                if (value > maximum || (minimumExclusive ? value <= minimum : value < minimum))
                {
                    result.AddError($"{name} {value.ToString(CultureInfo.InvariantCulture)} is out of range; give {range}");
                    return null;
                }

                return value;
            },
        };
    }

    /// <summary>A whole-number option from <paramref name="minimum"/> to <paramref name="maximum"/>; anything else is a usage error naming the range.</summary>
    public static Option<long> WholeNumber(string name, string description, long minimum, long maximum, long defaultValue)
    {
        var range = $"a whole number from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}";
        return new Option<long>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return defaultValue;
                }

                var text = result.Tokens[0].Value;
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
                {
                    result.AddError($"{name} {MqttOptionText.Quote(text)} is not {range}");
                    return defaultValue;
                }

                return value;
            },
        };
    }
}
