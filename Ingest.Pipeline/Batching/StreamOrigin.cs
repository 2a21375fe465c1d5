namespace Ingest.Pipeline.Batching;

/// <summary>
/// Whose data a stream is and where it goes, written into every batch's schema metadata so a payload is self-describing:
/// the publishing stage derives the MQTT topic from it after a restart, and a data engineer holding one file knows whose
/// samples they are. Only pseudonyms and codes: no radio address, serial number or device name (issue 10 derives the
/// device pseudonym from the address with a keyed hash).
/// </summary>
/// <param name="Study">Study code (a topic level).</param>
/// <param name="Site">Site id (a topic level).</param>
/// <param name="Participant">Participant pseudonym, as the study nurse entered it (a topic level).</param>
/// <param name="Device">Device pseudonym on the hub.</param>
/// <param name="StreamId">The firmware profile's stream id (e.g. <c>ecg</c>; the topic's last level).</param>
/// <param name="NominalRateHz">Nominal samples per second, or null for an event stream; what completeness is measured against.</param>
public sealed record StreamOrigin(string Study, string Site, string Participant, string Device, string StreamId, double? NominalRateHz);
