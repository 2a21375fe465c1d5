using QRCoder;

namespace Ingest.Gateway.Web.Nurse;

/// <summary>
/// What the printed label's QR code says (docs/web.md, "Label format"): one line of text,
/// <c>WI1;hub=HUB;study=STUDY;participant=PARTICIPANT;device=DEVICE</c> — a version tag, then <c>key=value</c> pairs
/// separated by ';', values percent-encoded (RFC 3986 unreserved characters stay as they are, so ids read as typed).
/// It names the hub and the participant by pseudonym and never carries a radio address.
/// </summary>
/// <param name="Hub">Hub id.</param>
/// <param name="Study">Study id.</param>
/// <param name="Participant">Participant pseudonym.</param>
/// <param name="Device">Device pseudonym.</param>
internal sealed record TrackerLabel(string Hub, string Study, string Participant, string Device)
{
    /// <summary>The format's tag and version: the first field of every label.</summary>
    public const string Tag = "WI1";

    /// <summary>Pixels per QR module in the PNG: 8 prints sharp at label size and stays small.</summary>
    public const int PixelsPerModule = 8;

    /// <summary>Longest text <see cref="Parse"/> reads (a label is well under 300 characters).</summary>
    public const int MaxTextLength = 1024;

    /// <summary>The label's text, as the QR code encodes it.</summary>
    public string Text =>
        $"{Tag};hub={Uri.EscapeDataString(Hub)};study={Uri.EscapeDataString(Study)};participant={Uri.EscapeDataString(Participant)};device={Uri.EscapeDataString(Device)}";

    /// <summary>The label read back from its text, or null when it is not one (wrong tag, a field missing, too long).</summary>
    public static TrackerLabel? Parse(string? text)
    {
        if (text is null || text.Length > MaxTextLength)
        {
            return null;
        }

        var fields = text.Split(';');
        if (fields[0] != Tag)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields.AsSpan(1))
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            // Later versions may add fields; this one reads the four it knows.
            values.TryAdd(field[..equals], Uri.UnescapeDataString(field[(equals + 1)..]));
        }

        return values.TryGetValue("hub", out var hub) && values.TryGetValue("study", out var study) && values.TryGetValue("participant", out var participant)
            && values.TryGetValue("device", out var device)
            ? new TrackerLabel(hub, study, participant, device)
            : null;
    }

    /// <summary>The QR code of <see cref="Text"/> as a PNG <c>data:</c> URI (the page's CSP allows data: images).</summary>
    public string QrDataUri()
    {
        using var generator = new QRCodeGenerator();
        // M: 15 % of the code may be smudged or scratched and it still reads; Q/H would make it bigger for little gain on a label.
        using var data = generator.CreateQrCode(Text, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        return "data:image/png;base64," + Convert.ToBase64String(png.GetGraphic(PixelsPerModule));
    }
}
