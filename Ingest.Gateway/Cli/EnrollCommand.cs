using System.CommandLine;
using Ingest.Gateway.Configuration;
using Ingest.Gateway.Registry;
using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest enroll</c>: binds a tracker to a participant for one profile (or, with <c>--swap</c>, replaces the
/// participant's tracker of that profile in one step) and prints its device pseudonym. Works while the service runs;
/// the service picks the change up on its next poll. The address is stored on the hub and never printed.
/// </summary>
internal static class EnrollCommand
{
    public static Command Create()
    {
        var address = new Option<string?>("--address") { Description = "The tracker's identity address, AA:BB:CC:DD:EE:FF ('wearable-ingest scan' shows it)", HelpName = "ADDRESS" };
        var addressType = new Option<string?>("--address-type") { Description = "public or random (default: random when the address is static random, top bits 11, else public)", HelpName = "TYPE" };
        var irk = new Option<string?>("--irk") { Description = "Identity resolving key of a tracker that uses private addresses: 32 hex digits, most significant first", HelpName = "HEX" };
        var participant = new Option<string?>("--participant") { Description = "Participant pseudonym, e.g. P-0042", HelpName = "ID" };
        var profile = new Option<string?>("--profile") { Description = "Firmware profile id ('wearable-ingest profiles list')", HelpName = "ID" };
        var study = new Option<string?>("--study") { Description = "Study id (default: Hub:Study from the configuration)", HelpName = "ID" };
        var site = new Option<string?>("--site") { Description = "Site id (default: Hub:Site from the configuration)", HelpName = "ID" };
        var reason = new Option<string?>("--reason") { Description = "Why (required; kept in the audit trail)", HelpName = "TEXT" };
        var actor = new Option<string?>("--actor") { Description = "Who (default: $SUDO_USER, else $USER)", HelpName = "NAME" };
        var swap = new Option<bool>("--swap") { Description = "Replace the participant's active tracker of this profile with this one (one step, one audit entry)" };
        var profilesDir = new Option<string?>("--profiles-dir") { Description = "Folder of firmware profiles (default: ./firmware-profiles, else the shipped ones) [Profiles:Directory]", HelpName = "DIR" };
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("enroll",
            "Enroll a tracker: bind its address to a participant pseudonym for one profile, and print its device pseudonym. " +
            "Only enrolled trackers are ever connected. Use --swap to replace a participant's tracker.")
        {
            address, addressType, irk, participant, profile, study, site, reason, actor, swap, profilesDir, dataDir, config,
        };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            var studyId = RegistryCommandSupport.Configured(parse.GetValue(study), settings, "Hub:Study")
                ?? throw new CliException("say which study with --study (or set Hub:Study in the configuration)");
            var siteId = RegistryCommandSupport.Configured(parse.GetValue(site), settings, "Hub:Site")
                ?? throw new CliException("say which site with --site (or set Hub:Site in the configuration)");
            var addressText = parse.GetValue(address) ?? throw new CliException("say which tracker with --address (its identity address, as 'wearable-ingest scan' shows it)");
            var participantId = parse.GetValue(participant) ?? throw new CliException("say whose tracker it is with --participant (the participant pseudonym)");
            var profileName = parse.GetValue(profile) ?? throw new CliException("say which firmware profile decodes it with --profile ('wearable-ingest profiles list')");
            var why = parse.GetValue(reason) ?? throw new CliException("--reason is required: say why, e.g. --reason \"baseline visit\"");
            BleAddressType? type = parse.GetValue(addressType) switch
            {
                null => null,
                "public" => BleAddressType.Public,
                "random" => BleAddressType.Random,
                var other => throw new CliException($"--address-type '{TrackerAddress.Redact(other)}' is not public or random"),
            };
            var profileId = RegistryCommandSupport.ProfileId(profileName, parse.GetValue(profilesDir) ?? settings.ProfilesDirectory);

            var request = new EnrollmentRequest
            {
                Study = studyId,
                Site = siteId,
                Participant = participantId,
                ProfileId = profileId,
                Address = addressText,
                AddressType = type,
                Irk = parse.GetValue(irk),
                Reason = why,
                Actor = RegistryCommandSupport.Actor(parse.GetValue(actor)),
                Swap = parse.GetValue(swap),
            };
            // Every value is checked before the registry (and the data directory) is created for it.
            EnrollmentRegistry.CheckRequest(request);
            DataDirectoryAccess.Prepare(settings.DataDirectory);
            using var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(settings.DataDirectory), create: true);
            var result = registry.Enroll(request);
            var enrolled = result.Enrollment;
            if (result.Replaced is { } replaced)
            {
                output.WriteLine($"swapped: participant {enrolled.Participant}'s {enrolled.ProfileId} tracker {replaced.Device} -> {enrolled.Device} (study {enrolled.Study}, site {enrolled.Site}; audit entry {result.AuditEntry.Seq})");
            }
            else
            {
                output.WriteLine($"enrolled: participant {enrolled.Participant}, {enrolled.ProfileId} (study {enrolled.Study}, site {enrolled.Site}; audit entry {result.AuditEntry.Seq})");
            }

            output.WriteLine($"device {enrolled.Device}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
