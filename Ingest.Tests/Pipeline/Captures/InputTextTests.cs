using Ingest.Pipeline.Captures;

namespace Ingest.Tests.Pipeline.Captures;

public class InputTextTests
{
    [Theory]
    [InlineData("16 48", "16 48")]
    [InlineData("a\u001b[2Jb", "a\\u001b[2Jb")]
    [InlineData("\u00e9\ud83d\ude00", "\u00e9\ud83d\ude00")]
    [InlineData("\u202e", "\\u202e")]
    public void Printable_InvisibleCharacters_Escaped(string text, string shown)
    {
        Assert.Equal(shown, InputText.Printable(text));
    }

    [Fact]
    public void Printable_LoneSurrogate_Escaped()
    {
        Assert.Equal("x\\ud83d", InputText.Printable(['x', (char)0xD83D]));
    }

    [Fact]
    public void Printable_LongText_Cut()
    {
        var shown = InputText.Printable(new string('a', 70_000));

        Assert.True(shown.Length < InputText.MaxQuotedChars + 32);
        Assert.EndsWith("(70000 characters)", shown, StringComparison.Ordinal);
    }
}
