using System.CommandLine;
using Ingest.Gateway.Registry;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest unenroll</c>: ends a tracker's enrollment (by participant and profile, or by device pseudonym),
/// with a reason, in the audit trail. The service stops connecting it on its next poll; its data so far stays.
/// </summary>
internal static class UnenrollCommand
{
    public static Command Create()
    {
        var participant = new Option<string?>("--participant") { Description = "Participant pseudonym (with --profile)", HelpName = "ID" };
        var profile = new Option<string?>("--profile") { Description = "Profile id of the participant's tracker to end (with --participant)", HelpName = "ID" };
        var device = new Option<string?>("--device") { Description = "Device pseudonym, dev-… ('wearable-ingest devices'), instead of --participant/--profile", HelpName = "DEVICE" };
        var study = new Option<string?>("--study") { Description = "Study id, when a participant pseudonym is enrolled in several (default: Hub:Study from the configuration, else any)", HelpName = "ID" };
        var reason = new Option<string?>("--reason") { Description = "Why (required; kept in the audit trail)", HelpName = "TEXT" };
        var actor = new Option<string?>("--actor") { Description = "Who (default: $SUDO_USER, else $USER)", HelpName = "NAME" };
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("unenroll", "End a tracker's enrollment: by --participant and --profile, or by --device; --reason is required.")
        {
            participant, profile, device, study, reason, actor, dataDir, config,
        };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            var why = parse.GetValue(reason) ?? throw new CliException("--reason is required: say why, e.g. --reason \"participant withdrew\"");
            var who = RegistryCommandSupport.Actor(parse.GetValue(actor));
            var deviceId = parse.GetValue(device);
            var participantId = parse.GetValue(participant);
            var profileId = parse.GetValue(profile);
            if ((deviceId is null) == (participantId is null && profileId is null))
            {
                throw new CliException("say which tracker with either --device dev-… or --participant and --profile");
            }

            if (deviceId is null && (participantId is null || profileId is null))
            {
                throw new CliException(participantId is null ? "--profile goes with --participant: say whose tracker" : "--participant goes with --profile: say which of the participant's trackers");
            }

            using var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(settings.DataDirectory), create: false);
            var result = deviceId is not null
                ? registry.UnenrollDevice(deviceId, why, who)
                : registry.Unenroll(RegistryCommandSupport.Configured(parse.GetValue(study), settings, "Hub:Study"), participantId!, profileId!, why, who);
            var ended = result.Enrollment;
            output.WriteLine($"unenrolled: participant {ended.Participant}, {ended.ProfileId}, device {ended.Device} (study {ended.Study}; audit entry {result.AuditEntry.Seq})");
            return ExitCodes.Success;
        }));
        return command;
    }
}
