using System.Text.RegularExpressions;
using Ingest.Tests.Support;

namespace Ingest.Tests.Docs;

/// <summary>The docs name only paths that exist (style.md §14).</summary>
public partial class DocumentationLinkTests
{
    public static TheoryData<string> MarkdownFiles()
    {
        var data = new TheoryData<string>();
        var root = Peers.RepositoryRoot;
        var files = new[] { "README.md", Path.Combine("firmware-profiles", "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)));
        foreach (var file in files)
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void RelativeLinks_PointAtFilesThatExist(string file)
    {
        var path = Path.Combine(Peers.RepositoryRoot, file);
        var folder = Path.GetDirectoryName(path)!;
        var missing = new List<string>();
        foreach (Match match in MarkdownLink().Matches(File.ReadAllText(path)))
        {
            var target = match.Groups[1].Value.Split('#')[0];
            if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            if (!File.Exists(Path.Combine(folder, target)) && !Directory.Exists(Path.Combine(folder, target)))
            {
                missing.Add(target);
            }
        }

        Assert.True(missing.Count == 0, $"{file} links to missing paths: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Readme_TestCommandIsWhatCiRuns()
    {
        var readme = File.ReadAllText(Path.Combine(Peers.RepositoryRoot, "README.md"));
        var ci = File.ReadAllText(Path.Combine(Peers.RepositoryRoot, ".ci", "run"));

        Assert.Contains("./scripts/test.sh", readme, StringComparison.Ordinal);
        Assert.Contains("./scripts/test.sh", ci, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project Ingest.Gateway -- run", readme, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
