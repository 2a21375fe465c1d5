namespace Ingest.Tests.Mqtt.Protocol;

/// <summary>Reads the hex vectors under TestData/Mqtt: '#' lines are comments, the rest is whitespace-separated hex.</summary>
internal static class HexVector
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "Mqtt");

    public static byte[] Load(string name, out string[] comments)
    {
        var path = Path.Combine(Directory, name + ".hex");
        var lines = File.ReadAllLines(path);
        comments = lines.Where(l => l.StartsWith('#')).Select(l => l[1..].Trim()).ToArray();
        var hex = string.Concat(lines.Where(l => !l.StartsWith('#')).SelectMany(l => l.Where(c => !char.IsWhiteSpace(c))));
        return Convert.FromHexString(hex);
    }

    public static byte[] Load(string name) => Load(name, out _);
}
