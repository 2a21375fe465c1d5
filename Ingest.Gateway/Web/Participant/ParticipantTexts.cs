using System.Collections.Frozen;
using System.Globalization;

namespace Ingest.Gateway.Web.Participant;

/// <summary>
/// Every word the participant page says, in every language it speaks: one table, so a translator reads and checks it in
/// one place. Short, plain, no jargon, the formal "you" (Sie, vous). Placeholders: <c>{time}</c> (a clock time, with the
/// date when not today) and <c>{name}</c> (the tracker's model, when a participant wears more than one).
/// </summary>
internal static class ParticipantTexts
{
    /// <summary>The table, by language (<see cref="ParticipantOptions.Languages"/>).</summary>
    private static readonly FrozenDictionary<string, LanguageTexts> s_texts = new Dictionary<string, LanguageTexts>(StringComparer.Ordinal)
    {
        ["en"] = new()
        {
            Name = "English",
            PageTitle = "Your study hub",
            LanguageLabel = "Language",
            YourTrackers = "Your trackers",
            Also = "Also",
            LastChecked = "This page updates itself. Last checked:",
            NoAnswer = "The hub does not answer. Is it plugged in and switched on?",
            Tracker = "Tracker",
            Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
            DateFormat = "{day} {month} {time}",
            States = new Dictionary<ParticipantStateCode, StateTexts>
            {
                [ParticipantStateCode.Working] = new("Everything is working", null, "Nothing to do. Keep wearing your tracker.", "working"),
                [ParticipantStateCode.Connecting] = new("Connecting to your tracker", "Connecting to your {name}",
                    "Nothing to do. Keep your tracker on and near the hub.", "connecting"),
                [ParticipantStateCode.NoTracker] = new("No tracker set up yet", null, "Nothing to do. The study team will set up your tracker.", ""),
                [ParticipantStateCode.HubOffline] = new("Hub offline from the study since {time}", null,
                    "Check the hub's internet connection and your router. Your data is kept safely on the hub.", ""),
                [ParticipantStateCode.ChargeTracker] = new("Charge your tracker", "Charge your {name}", "Put it on its charger, then wear it again.", "battery low"),
                [ParticipantStateCode.TrackerNotSeen] = new("Tracker not seen since {time}", "{name} not seen since {time}",
                    "Put your tracker on, or bring it near the hub.", "not seen since {time}"),
                [ParticipantStateCode.TrackerBlocked] = new("The hub cannot use your tracker", "The hub cannot use your {name}", "Call the study team.", "cannot be used"),
                [ParticipantStateCode.RadioProblem] = new("The hub has a problem", null,
                    "Restart the hub: unplug it, wait 10 seconds, plug it back in. If this stays, call the study team.", ""),
            }.ToFrozenDictionary(),
        },
        ["de"] = new()
        {
            Name = "Deutsch",
            PageTitle = "Ihre Studien-Basisstation",
            LanguageLabel = "Sprache",
            YourTrackers = "Ihre Tracker",
            Also = "Außerdem",
            LastChecked = "Diese Seite aktualisiert sich selbst. Zuletzt geprüft:",
            NoAnswer = "Die Basisstation antwortet nicht. Ist sie eingesteckt und eingeschaltet?",
            Tracker = "Tracker",
            Months = ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
            DateFormat = "{day}. {month} {time}",
            States = new Dictionary<ParticipantStateCode, StateTexts>
            {
                [ParticipantStateCode.Working] = new("Alles funktioniert", null, "Nichts zu tun. Tragen Sie Ihren Tracker weiter.", "funktioniert"),
                [ParticipantStateCode.Connecting] = new("Verbindung zu Ihrem Tracker wird hergestellt", "{name}: Verbindung wird hergestellt",
                    "Nichts zu tun. Tragen Sie den Tracker in der Nähe der Basisstation.", "wird verbunden"),
                [ParticipantStateCode.NoTracker] = new("Noch kein Tracker eingerichtet", null, "Nichts zu tun. Das Studienteam richtet Ihren Tracker ein.", ""),
                [ParticipantStateCode.HubOffline] = new("Basisstation seit {time} ohne Verbindung zur Studie", null,
                    "Prüfen Sie die Internetverbindung der Basisstation und Ihren Router. Ihre Daten bleiben sicher auf der Basisstation gespeichert.", ""),
                [ParticipantStateCode.ChargeTracker] = new("Tracker aufladen", "{name} aufladen",
                    "Legen Sie ihn ans Ladegerät und tragen Sie ihn danach wieder.", "Akku fast leer"),
                [ParticipantStateCode.TrackerNotSeen] = new("Tracker seit {time} nicht gesehen", "{name} seit {time} nicht gesehen",
                    "Legen Sie Ihren Tracker an oder bringen Sie ihn in die Nähe der Basisstation.", "seit {time} nicht gesehen"),
                [ParticipantStateCode.TrackerBlocked] = new("Die Basisstation kann Ihren Tracker nicht verwenden", "Die Basisstation kann {name} nicht verwenden",
                    "Rufen Sie das Studienteam an.", "nicht verwendbar"),
                [ParticipantStateCode.RadioProblem] = new("Die Basisstation hat ein Problem", null,
                    "Starten Sie die Basisstation neu: Stecker ziehen, 10 Sekunden warten, wieder einstecken. Wenn das Problem bleibt, rufen Sie das Studienteam an.", ""),
            }.ToFrozenDictionary(),
        },
        ["fr"] = new()
        {
            Name = "Français",
            PageTitle = "Votre boîtier de l'étude",
            LanguageLabel = "Langue",
            YourTrackers = "Vos capteurs",
            Also = "Aussi",
            LastChecked = "Cette page se met à jour toute seule. Dernière vérification\u00a0:",
            NoAnswer = "Le boîtier ne répond pas. Est-il branché et allumé\u00a0?",
            Tracker = "Capteur",
            Months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
            DateFormat = "{day} {month} {time}",
            States = new Dictionary<ParticipantStateCode, StateTexts>
            {
                [ParticipantStateCode.Working] = new("Tout fonctionne", null, "Rien à faire. Continuez à porter votre capteur.", "fonctionne"),
                [ParticipantStateCode.Connecting] = new("Connexion à votre capteur", "Connexion à votre {name}",
                    "Rien à faire. Gardez votre capteur sur vous, près du boîtier.", "connexion en cours"),
                [ParticipantStateCode.NoTracker] = new("Aucun capteur configuré pour l'instant", null, "Rien à faire. L'équipe de l'étude configurera votre capteur.", ""),
                [ParticipantStateCode.HubOffline] = new("Boîtier déconnecté de l'étude depuis {time}", null,
                    "Vérifiez la connexion Internet du boîtier et votre box. Vos données sont conservées en sécurité sur le boîtier.", ""),
                [ParticipantStateCode.ChargeTracker] = new("Rechargez votre capteur", "Rechargez votre {name}", "Mettez-le en charge, puis portez-le à nouveau.", "batterie faible"),
                [ParticipantStateCode.TrackerNotSeen] = new("Capteur non détecté depuis {time}", "{name} non détecté depuis {time}",
                    "Portez votre capteur ou approchez-le du boîtier.", "non détecté depuis {time}"),
                [ParticipantStateCode.TrackerBlocked] = new("Le boîtier ne peut pas utiliser votre capteur", "Le boîtier ne peut pas utiliser votre {name}",
                    "Appelez l'équipe de l'étude.", "inutilisable"),
                [ParticipantStateCode.RadioProblem] = new("Le boîtier a un problème", null,
                    "Redémarrez le boîtier\u00a0: débranchez-le, attendez 10 secondes, rebranchez-le. Si le problème persiste, appelez l'équipe de l'étude.", ""),
            }.ToFrozenDictionary(),
        },
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The texts of <paramref name="language"/> (one of <see cref="ParticipantOptions.Languages"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The page does not speak it.</exception>
    public static LanguageTexts For(string language) =>
        s_texts.TryGetValue(language, out var texts) ? texts
            : throw new ArgumentOutOfRangeException(nameof(language), language, $"the participant page speaks {string.Join(", ", ParticipantOptions.Languages)}");

    /// <summary>
    /// A clock time as the page shows it: in the hub's time zone, <c>HH:mm</c>, with the day and month in front when it is
    /// not today (month names come from the table: the executable runs without culture data).
    /// </summary>
    public static string Time(LanguageTexts texts, DateTimeOffset time, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var local = TimeZoneInfo.ConvertTime(time, zone);
        var clock = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (local.Date == TimeZoneInfo.ConvertTime(now, zone).Date)
        {
            return clock;
        }

        return texts.DateFormat
            .Replace("{day}", local.Day.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{month}", texts.Months[local.Month - 1], StringComparison.Ordinal)
            .Replace("{time}", clock, StringComparison.Ordinal);
    }

    /// <summary><paramref name="template"/> with <c>{time}</c> and <c>{name}</c> filled in (plain text; the page encodes it).</summary>
    public static string Fill(string template, string? time, string? name) =>
        template.Replace("{time}", time ?? "", StringComparison.Ordinal).Replace("{name}", name ?? "", StringComparison.Ordinal);
}
